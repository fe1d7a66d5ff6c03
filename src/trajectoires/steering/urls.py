from django.urls import path

from . import views

app_name = "steering"
urlpatterns = [
    path("", views.journal, name="journal"),
    path("nouveau/", views.journal_entry_new, name="journal_new"),
    path("<int:pk>/", views.journal_entry, name="journal_entry"),
    path("<int:pk>/modifier/", views.journal_entry_edit, name="journal_edit"),
    path("<int:pk>/fichiers/<int:attachment_pk>/", views.journal_attachment, name="journal_attachment"),
]
