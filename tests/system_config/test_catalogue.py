"""The settings' list of download qualities is the downloads' own list."""

from typing import get_args

from medianest.integrations.ytdlp.presets import Quality
from medianest.settings import YoutubeQuality


def test_the_default_quality_setting_offers_exactly_the_download_qualities() -> None:
    assert set(get_args(YoutubeQuality)) == {quality.value for quality in Quality}
