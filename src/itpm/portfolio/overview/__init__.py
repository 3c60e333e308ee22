"""Read-only queries behind the web pages: the portfolio and the project list (project_rows), a
project's overview (project_page), my work (my_work) and the Gantt (gantt).

Every function starts from visible_projects()/access_* and can(), so a page can never show
what the caller may not see, and each page costs a fixed number of queries however many
projects it lists. Import from the module itself.
"""
