from ninja import Router

router = Router(tags=["pilots"])
sheets_router = Router(tags=["transferability sheets"])
