from django.urls import path

urlpatterns: list = []  # pages arrive in the next commit
