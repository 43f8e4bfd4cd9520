"""Every application command is reachable through GraphQL (issue 11 §5).

The commands are read from `application/commands.py` itself (every concrete command class),
so a command added on any branch without its mutation fails here; nothing counts them by hand.
"""

from __future__ import annotations

import inspect

from graphql import GraphQLUnionType

from casebridge.api.graphql.schema import schema
from casebridge.application import commands
from casebridge.application.handlers import HANDLERS

# Commands whose mutation is not simply the command's name in lowerCamelCase.
MUTATION_FOR: dict[str, str] = {}
PROBLEMS = {"NotFoundProblem", "ConflictProblem", "InvalidStateProblem", "ValidationProblem", "ForbiddenProblem"}


def application_commands() -> list[type[commands.Command]]:
    """The concrete commands: subclasses of Command defined in commands.py that no other
    command extends (CaseCommand and its like are shared shapes, not commands)."""
    classes = [c for _, c in inspect.getmembers(commands, inspect.isclass)
               if issubclass(c, commands.Command) and c.__module__ == commands.__name__]
    return [c for c in classes if not any(o is not c and issubclass(o, c) for o in classes)]


def mutation_name(command: type[commands.Command]) -> str:
    name = command.__name__
    return MUTATION_FOR.get(name, name[0].lower() + name[1:])


def test_the_commands_are_found_in_the_application_module():
    found = application_commands()
    # Derived, not pinned: every command found has a handler and every handled command is found.
    assert set(found) == set(HANDLERS)
    assert {commands.OpenCase, commands.AskClarification, commands.AnswerClarification} <= set(found)
    assert commands.CaseCommand not in found and commands.EvidenceRequestCommand not in found


def test_every_application_command_has_a_mutation_with_the_contract_shape():
    graphql = schema._schema
    mutations = graphql.mutation_type.fields
    missing = sorted(mutation_name(c) for c in application_commands() if mutation_name(c) not in mutations)
    assert not missing, f"commands without a GraphQL mutation: {missing}"

    for command in application_commands():
        name = mutation_name(command)
        field = mutations[name]
        assert list(field.args) == ["input"], name
        type_name = name[0].upper() + name[1:]
        input_type = field.args["input"].type.of_type
        assert {"expectedVersion", "clientMutationId"} <= set(input_type.fields), name
        result = field.type.of_type
        assert isinstance(result, GraphQLUnionType), name
        assert {t.name for t in result.types} == {f"{type_name}Success", *PROBLEMS}, name


def test_a_command_without_a_mutation_would_fail_the_check():
    """The check can fail: a command named like no mutation is reported missing."""
    class ProbeUnreachable(commands.Command):
        pass

    assert mutation_name(ProbeUnreachable) not in schema._schema.mutation_type.fields
