"""API schemas for notifications."""

from marshmallow import EXCLUDE, Schema, fields

from casework.cases.labels import EVENT_LABELS


class NotificationSchema(Schema):
    """A notification: the event (kind, readable line, who, when, facts), its case, and when it was read."""

    id = fields.Int()
    kind = fields.Function(lambda notification: notification.event.kind)
    label = fields.Function(lambda item: str(EVENT_LABELS.get(item.event.kind, item.event.kind)))
    actor_name = fields.Function(lambda notification: notification.event.actor.full_name)
    at = fields.Function(lambda notification: notification.event.at.isoformat())
    details = fields.Function(lambda notification: notification.event.details)
    case_uuid = fields.Function(lambda notification: str(notification.case.uuid))
    case_number = fields.Function(lambda notification: notification.case.number)
    read_at = fields.AwareDateTime(allow_none=True)


class NotificationFilterSchema(Schema):
    """``unread=true`` lists only the unread ones."""

    class Meta:
        unknown = EXCLUDE

    unread = fields.Bool(load_default=False)


class MarkReadSchema(Schema):
    """The notifications to mark read by ``ids``; without ``ids``, all of them."""

    ids = fields.List(fields.Int(strict=True), allow_none=True)


class UnreadSchema(Schema):
    """How many were marked read, and how many stay unread."""

    marked = fields.Int()
    unread = fields.Int()
