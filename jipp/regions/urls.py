from django.urls import path

from jipp.regions import views, views_search

app_name = "regions"

urlpatterns = [
    # Type-ahead searches for forms (jipp.core.widgets).
    path("search/agencies/", views_search.search_agencies, name="search_agencies"),
    path("search/units/", views_search.search_units, name="search_units"),
    path("search/regions/", views_search.search_regions, name="search_regions"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency_detail"),
]
