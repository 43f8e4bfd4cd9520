"""The GraphQL API: schema (types/, queries/, mutations/, subscriptions), the HTTP and
WebSocket routes, batch loaders and the limits that keep abusive documents out."""

from casebridge.api.graphql.router import build_graphql_router, close_graphql

__all__ = ["build_graphql_router", "close_graphql"]
