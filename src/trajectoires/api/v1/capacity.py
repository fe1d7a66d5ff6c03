from ninja import Router

router = Router(tags=["team capacity"])
