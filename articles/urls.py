from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail_short"),
    path("claims/<int:pk>/<slug:slug>/", views.claim_detail, name="claim_detail"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail_short"),
    path("articles/<int:pk>/<slug:slug>/", views.article_detail, name="article_detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("countries/<str:code>/<str:other>/", views.country_pair, name="country_pair"),
    path("events/", views.event_list, name="event_list"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("actors/", views.actor_list, name="actor_list"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor_detail"),
]
