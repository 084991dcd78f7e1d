from django.contrib.auth import views as auth_views
from django.urls import path

from jiuye.web import views

app_name = "web"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("persons/", views.person_search, name="person_search"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/employment/", views.register_employment, name="register_employment"),
    path("persons/<int:pk>/unemployment/", views.register_unemployment, name="register_unemployment"),
    path("persons/<int:pk>/ending/", views.end_status, name="end_status"),
    path("persons/<int:pk>/registrations/<int:rid>/correct/", views.correct_registration, name="correct_registration"),
    path("households/", views.household_search, name="household_search"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/members/add/", views.household_add_member, name="household_add_member"),
    path("households/<int:pk>/members/remove/", views.household_remove_member, name="household_remove_member"),
    path("employers/", views.employer_search, name="employer_search"),
    path("employers/<int:pk>/", views.employer_detail, name="employer"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_batch, name="import_batch"),
    path("imports/<int:pk>/report", views.import_report, name="import_report"),
    path("audit/", views.audit_log, name="audit"),
]
