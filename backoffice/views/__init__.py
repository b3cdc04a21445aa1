"""Views of the back office: access rule, queue, work screen and its actions, photos, crew load."""
