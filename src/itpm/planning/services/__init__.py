"""Planning services: calendars, phases, tasks, dependencies and baselines, scoped by project.

Every read goes through visible_* or access_* (visibility), so an object in a project the caller
may not see is never returned; every write goes through check_* (permission, references,
validation) then do_* (one transaction, history recorded by django-simple-history). Each module
here holds one kind of object; import from the module itself.
"""
