"""Announcements of request changes, for the realtime layer to deliver to their owners.

Published on the platform's pub/sub, on the owner's channel; the socket.io layer forwards
them as `request:updated` (payload of seed 004).
"""

import uuid

from medianest.cache.pubsub import PubSub
from medianest.media_requests.schemas import RequestStatus

REQUEST_UPDATED = "request:updated"


def user_channel(user_id: uuid.UUID) -> str:
    return f"user:{user_id}"


class RequestEvents:
    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub

    async def request_updated(
        self,
        *,
        user_id: uuid.UUID,
        request_id: uuid.UUID,
        status: RequestStatus,
        media_title: str,
        updated_by: str,
    ) -> None:
        await self._pubsub.publish(
            user_channel(user_id),
            {
                "event": REQUEST_UPDATED,
                "data": {
                    "id": str(request_id),
                    "status": status.value,
                    "mediaTitle": media_title,
                    "updatedBy": updated_by,
                },
            },
        )
