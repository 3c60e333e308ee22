"""Scheduling a project: run (do_schedule_project), loading (rows to engine arrays), dating
(dates to engine units and back) and write_back (results onto the rows, in bulk).

Import from the module itself.
"""
