"""The `itpm` command's parts: itpm.cli parses the command line and dispatches to the handlers
here (engine commands, server and database commands, users), each importing Django, if at all,
only when it runs."""
