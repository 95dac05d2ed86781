"""API: who am I, and my tokens."""

import sqlalchemy as sa
from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.auth import services
from casework.auth.models import ApiToken
from casework.auth.schemas import IssuedTokenSchema, TokenCreateSchema, TokenSchema, UserSchema
from casework.core.permissions import require
from casework.extensions import db


@bp.get("/me")
@require("account.self")
@documented(UserSchema)
def me():
    """The signed-in user."""
    return UserSchema().dump(current_user)


@bp.get("/tokens")
@require("account.self")
@documented(TokenSchema, many=True)
def list_tokens():
    """The user's own tokens, newest first."""
    tokens = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id.desc())
    ).all()
    return {"items": TokenSchema(many=True).dump(tokens)}


@bp.post("/tokens")
@require("account.self")
@documented(IssuedTokenSchema, body=TokenCreateSchema, status=201)
def create_token():
    """Issues a token; the secret is in this response only."""
    data = load_json(TokenCreateSchema())
    token, secret = services.issue_token(current_user, data["name"])
    db.session.commit()
    return {**TokenSchema().dump(token), "token": secret}, 201


@bp.delete("/tokens/<int:token_id>")
@require("account.self")
@documented(TokenSchema)
def revoke_token(token_id):
    """Revokes one of the user's own tokens."""
    token = services.revoke_token(token_id, owner=current_user)
    db.session.commit()
    return TokenSchema().dump(token)
