from django.urls import path

from . import views

app_name = "assemblies"

urlpatterns = [
    path("", views.index, name="index"),
    path("bodies/<slug:slug>/", views.body_detail, name="body"),
    path("bodies/<slug:slug>/proposals/", views.proposal_list, name="proposals"),
    path("bodies/<slug:slug>/proposals/new/", views.proposal_new, name="proposal_new"),
    path("bodies/<slug:slug>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("bodies/<slug:slug>/votes/new/", views.vote_new, name="vote_new"),
    path("bodies/<slug:slug>/results/new/", views.result_new, name="result_new"),
    path("results/", views.results_dashboard, name="results"),
    path("results/<uuid:uuid>/", views.result_detail, name="result"),
    path("results/<uuid:uuid>/update/", views.result_update, name="result_update"),
    path("bodies/<slug:slug>/delegate/", views.delegation_set, name="delegation_set"),
    path("proposals/<uuid:uuid>/", views.proposal_detail, name="proposal"),
    path("proposals/<uuid:uuid>/status/", views.proposal_transition, name="proposal_transition"),
    path("proposals/<uuid:uuid>/comments/", views.comment_add, name="comment_add"),
    path("proposals/<uuid:uuid>/amend/", views.amendment_new, name="amendment_new"),
    path("proposals/<uuid:uuid>/diff/", views.proposal_diff, name="proposal_diff"),
    path("proposals/<uuid:uuid>/publish/", views.declaration_publish, name="declaration_publish"),
    path("declarations/<uuid:uuid>/", views.declaration_detail, name="declaration"),
    path("declarations/<uuid:uuid>/endorse/", views.endorsement_add, name="endorsement_add"),
    path(
        "endorsements/<uuid:uuid>/withdraw/",
        views.endorsement_withdraw,
        name="endorsement_withdraw",
    ),
    path("amendments/<uuid:uuid>/decide/", views.amendment_decide, name="amendment_decide"),
    path("amendments/<uuid:uuid>/diff/", views.amendment_diff, name="amendment_diff"),
    path("meetings/<uuid:uuid>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:uuid>/agenda.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<uuid:uuid>/check-in/", views.meeting_check_in, name="meeting_check_in"),
    path("meetings/<uuid:uuid>/register/", views.meeting_register, name="meeting_register"),
    path("meetings/<uuid:uuid>/manage/", views.meeting_manage, name="meeting_manage"),
    path(
        "meetings/<uuid:uuid>/minutes.<str:fmt>",
        views.meeting_minutes_export,
        name="meeting_minutes_export",
    ),
    path("meetings/<uuid:uuid>/tables/new/", views.working_table_new, name="working_table_new"),
    path("tables/<uuid:uuid>/", views.working_table_detail, name="working_table"),
    path(
        "tables/<uuid:uuid>/rapporteur/",
        views.working_table_rapporteur,
        name="working_table_rapporteur",
    ),
    path("tables/<uuid:uuid>/report/", views.working_table_report, name="working_table_report"),
    path(
        "declarations/<uuid:uuid>/text.<str:fmt>",
        views.declaration_export,
        name="declaration_export",
    ),
    path("votes/<uuid:uuid>/", views.vote_detail, name="vote"),
    path("votes/<uuid:uuid>/close-now/", views.vote_close_now, name="vote_close_now"),
    path("votes/<uuid:uuid>/cast/", views.vote_cast, name="vote_cast"),
    path("votes/<uuid:uuid>/close/", views.vote_close, name="vote_close"),
    path("votes/<uuid:uuid>/receipts/", views.vote_receipts, name="vote_receipts"),
    path("votes/<uuid:uuid>/ballots.blt", views.vote_blt, name="vote_blt"),
]
