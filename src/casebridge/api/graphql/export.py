"""`python -m casebridge.api.graphql.export > schema.graphql`: the schema's SDL, exactly as
`strawberry export-schema casebridge.api.graphql.schema:schema` prints it."""

from strawberry.printer import print_schema

from casebridge.api.graphql.schema import schema


def schema_sdl() -> str:
    return print_schema(schema)


if __name__ == "__main__":
    print(schema_sdl())
