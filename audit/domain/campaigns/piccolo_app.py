from audit.domain.campaigns.tables import CampaignRun, CampaignTarget, ProbeCampaign
from audit.piccolo_support import app_config

APP_CONFIG = app_config(
    "campaigns",
    [ProbeCampaign, CampaignTarget, CampaignRun],
    depends_on=["operators", "accounts", "plans"],
)
