"""URLs of the field-crew API under /api/mobile/v1/."""
from django.urls import path

from . import views

urlpatterns = [
    path("api/mobile/v1/auth/token", views.TokenView.as_view(), name="mobile-token"),
    path("api/mobile/v1/me", views.MeView.as_view(), name="mobile-me"),
    path("api/mobile/v1/tasks", views.TaskListView.as_view(), name="mobile-tasks"),
    path("api/mobile/v1/tasks/<int:pk>", views.TaskDetailView.as_view(), name="mobile-task"),
    path("api/mobile/v1/tasks/<int:pk>/transitions", views.TaskTransitionView.as_view(),
         name="mobile-task-transitions"),
]
