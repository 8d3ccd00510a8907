"""The Python `gql` client (RequestsHTTPTransport) against a running duban server.

    python3 python_gql.py URL TOKEN

Checks: with fetch_schema_from_transport=True the client first sends gql's
standard introspection query and builds the schema from it (this must work
for a signed-in caller), then validates every request locally against that
schema; the first five tasks; a query with variables; errors surfacing as
TransportQueryError with `extensions.code` (BAD_USER_INPUT, anonymous
UNAUTHENTICATED, bad token UNAUTHENTICATED); and a harmless mutation
(`importPlan` with `dryRun: true`, which writes nothing). Then over the
WebSocket (WebsocketsTransport, signed in with the connection_init payload):
the schema fetched with the same standard introspection query, a query, and
an error with its `extensions.code`. Exit 1 on any unexpected outcome.
"""

import asyncio
import json
import sys
from pathlib import Path

from graphql import GraphQLError
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport
from gql.transport.websockets import WebsocketsTransport

HERE = Path(__file__).resolve().parent
DRY_RUN_PLAN = (HERE / "dry-run-plan.txt").read_text(encoding="utf-8")
DRY_RUN_DOC_NUMBER = "县政办发〔2026〕901号"

FIRST_TASKS = gql(
    """
    query FirstTasks {
      tasks(first: 5) { totalCount nodes { id seq title lead { name } } }
    }
    """
)
TASK = """
    query OneTask($id: ID!) {
      task(id: $id) { id seq }
    }
"""
TOO_MANY = gql("query TooMany { tasks(first: 101) { totalCount } }")
DOCUMENTS = gql("query Documents { documents { nodes { id docNumber } } }")
DRY_RUN = """
    mutation DryRun($text: String!) {
      importPlan(text: $text, dryRun: true) {
        dryRun
        document { docNumber }
        tasks { seq title lead { name } }
      }
    }
"""


class CheckFailure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailure(message)


def show(value, limit=400):
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class Checks:
    def __init__(self, title):
        self.passed = 0
        self.failed = 0
        print(f"# {title}", flush=True)

    def run(self, name, fn):
        try:
            result = fn()
        except CheckFailure as err:
            self.failed += 1
            print(f"FAIL {name}: {err}", flush=True)
            return None
        except Exception as err:  # anything else is unexpected too
            self.failed += 1
            print(f"FAIL {name}: unexpected {type(err).__name__}: {show(str(err))}", flush=True)
            return None
        self.passed += 1
        note = result.get("note") if isinstance(result, dict) else None
        print(f"ok   {name}" + (f" ({note})" if note else ""), flush=True)
        return result

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return 0 if self.failed == 0 else 1


def transport(url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return RequestsHTTPTransport(url=url, headers=headers, timeout=30, retries=0)


def expect_code(code, fn):
    try:
        result = fn()
    except TransportQueryError as err:
        errors = err.errors or []
        got = [(e.get("extensions") or {}).get("code") for e in errors]
        expect(got[:1] == [code], f"expected extensions.code {code}, got {show(got)} ({show(errors)})")
        return {"note": f'{code}: "{errors[0].get("message")}"'}
    raise CheckFailure(f"expected TransportQueryError {code}, got a result: {show(result)}")


def expect_task_node(node, where):
    expect(isinstance(node, dict), f"{where}: not an object: {show(node)}")
    expect(isinstance(node.get("id"), str) and node["id"], f"{where}: id is not a non-empty string: {show(node)}")
    expect(type(node.get("seq")) is int, f"{where}: seq is not an integer: {show(node)}")
    expect(isinstance(node.get("title"), str) and node["title"], f"{where}: title is not a non-empty string: {show(node)}")
    lead = node.get("lead")
    expect(lead is None or (isinstance(lead, dict) and isinstance(lead.get("name"), str)),
           f"{where}: lead is neither null nor {{ name: String }}: {show(node)}")


def main(argv):
    if len(argv) != 3:
        print("usage: python3 python_gql.py URL TOKEN", file=sys.stderr)
        print("  URL    the GraphQL endpoint, e.g. http://127.0.0.1:18555/graphql", file=sys.stderr)
        print("  TOKEN  an admin bearer token (from the login mutation)", file=sys.stderr)
        return 2
    url, token = argv[1], argv[2]
    checks = Checks(f"gql (Python, RequestsHTTPTransport) against {url}")

    client = Client(transport=transport(url, token), fetch_schema_from_transport=True)
    session_holder = {}

    def connect():
        # Entering the session sends the standard introspection query.
        session = client.connect_sync()
        session_holder["session"] = session
        expect(client.schema is not None, "no schema after connecting")
        query_type = client.schema.query_type
        expect(query_type is not None, "the schema has no Query type")
        fields = sorted(query_type.fields)
        for wanted in ("tasks", "task", "documents"):
            expect(wanted in fields, f"Query has no field {wanted}: {fields}")
        return {"note": f"{len(client.schema.type_map)} types; Query: {', '.join(fields)}"}

    connected = checks.run("fetch_schema_from_transport: standard introspection query builds the schema", connect)

    if connected is None:
        # Every other check runs in that session; without it nothing else can.
        print("     the remaining checks need the schema and were not run", flush=True)
        return checks.finish()

    session = session_holder["session"]

    def all_options_introspection():
        other = Client(
            transport=transport(url, token),
            fetch_schema_from_transport=True,
            introspection_args={
                "descriptions": True,
                "specified_by_url": True,
                "directive_is_repeatable": True,
                "schema_description": True,
                "input_value_deprecation": True,
                "input_object_one_of": True,
            },
        )
        with other:
            expect(other.schema is not None, "no schema")
            return {"note": f"{len(other.schema.type_map)} types"}

    checks.run("introspection with every gql introspection option on", all_options_introspection)

    def local_validation():
        try:
            session.execute(gql("{ fieldThatDoesNotExist }"))
        except GraphQLError as err:
            return {"note": f'rejected before sending: "{err.message}"'}
        raise CheckFailure("an unknown field was not rejected by the fetched schema")

    checks.run("the fetched schema validates requests locally", local_validation)

    def first_tasks():
        data = session.execute(FIRST_TASKS)
        tasks = data.get("tasks")
        expect(tasks, f"no tasks: {show(data)}")
        expect(type(tasks.get("totalCount")) is int, f"totalCount is not an integer: {show(tasks)}")
        nodes = tasks.get("nodes") or []
        expect(len(nodes) == 5, f"expected 5 nodes, got {len(nodes)}")
        expect(tasks["totalCount"] >= 5, f"totalCount {tasks['totalCount']} < 5 nodes")
        for i, node in enumerate(nodes):
            expect_task_node(node, f"nodes[{i}]")
        seqs = ",".join(str(n["seq"]) for n in nodes)
        return {"nodes": nodes, "note": f"totalCount {tasks['totalCount']}, seqs {seqs}"}

    first = checks.run("query tasks(first: 5)", first_tasks)

    def with_variables():
        expect(first, "needs the tasks(first: 5) answer")
        wanted = first["nodes"][0]
        data = session.execute(GraphQLRequest(TASK, variable_values={"id": wanted["id"]}))
        got = data.get("task")
        expect(got == {"id": wanted["id"], "seq": wanted["seq"]},
               f"expected {show({'id': wanted['id'], 'seq': wanted['seq']})}, got {show(got)}")
        return {"note": f"id {got['id']}, seq {got['seq']}"}

    checks.run("query with variables: task(id: $id)", with_variables)

    def unknown_id():
        data = session.execute(GraphQLRequest(TASK, variable_values={"id": "999999999"}))
        expect(data == {"task": None}, f"expected {{task: null}}, got {show(data)}")

    checks.run("query with variables: task of an unknown id is null", unknown_id)

    checks.run("tasks(first: 101) raises TransportQueryError BAD_USER_INPUT",
               lambda: expect_code("BAD_USER_INPUT", lambda: session.execute(TOO_MANY)))

    def anonymous():
        # No schema fetch: anonymous callers may not introspect.
        with Client(transport=transport(url)) as anon:
            return expect_code("UNAUTHENTICATED", lambda: anon.execute(FIRST_TASKS))

    checks.run("anonymous client: tasks raises TransportQueryError UNAUTHENTICATED", anonymous)

    def bad_token():
        with Client(transport=transport(url, "not-a-token")) as bad:
            return expect_code("UNAUTHENTICATED", lambda: bad.execute(FIRST_TASKS))

    checks.run("client with a bad token: raises TransportQueryError UNAUTHENTICATED", bad_token)

    def anonymous_introspection_refused():
        try:
            with Client(transport=transport(url), fetch_schema_from_transport=True):
                pass
        except TransportQueryError as err:
            got = [(e.get("extensions") or {}).get("code") for e in (err.errors or [])]
            expect(got[:1] == ["UNAUTHENTICATED"], f"expected UNAUTHENTICATED, got {show(err.errors)}")
            return {"note": f'UNAUTHENTICATED: "{err.errors[0].get("message")}"'}
        raise CheckFailure("an anonymous client could fetch the schema")

    checks.run("anonymous fetch_schema_from_transport is refused with UNAUTHENTICATED",
               anonymous_introspection_refused)

    def documents():
        data = session.execute(DOCUMENTS)
        nodes = (data.get("documents") or {}).get("nodes")
        expect(isinstance(nodes, list), f"no documents.nodes: {show(data)}")
        return {"nodes": nodes, "note": f"{len(nodes)} document(s)"}

    before = checks.run("query documents", documents)

    def dry_run():
        data = session.execute(GraphQLRequest(DRY_RUN, variable_values={"text": DRY_RUN_PLAN}))
        result = data.get("importPlan")
        expect(result, f"no importPlan: {show(data)}")
        expect(result.get("dryRun") is True, f"dryRun is {show(result.get('dryRun'))}")
        expect((result.get("document") or {}).get("docNumber") == DRY_RUN_DOC_NUMBER,
               f"document is {show(result.get('document'))}")
        seqs = [t["seq"] for t in result.get("tasks") or []]
        expect(seqs == [1, 2], f"tasks are {show(result.get('tasks'))}")
        return {"note": f"{len(seqs)} tasks, lead of 1: {(result['tasks'][0].get('lead') or {}).get('name')}"}

    checks.run("mutation importPlan(dryRun: true) previews the plan", dry_run)

    def wrote_nothing():
        expect(before, "needs the documents answer from before")
        after = session.execute(DOCUMENTS)["documents"]["nodes"]
        expect(len(after) == len(before["nodes"]), f"documents before {len(before['nodes'])}, after {len(after)}")
        expect(all(d["docNumber"] != DRY_RUN_DOC_NUMBER for d in after), f"{DRY_RUN_DOC_NUMBER} was registered")

    checks.run("the dry run wrote nothing", wrote_nothing)

    checks.run("mutation importPlan with no task rows raises BAD_USER_INPUT",
               lambda: expect_code("BAD_USER_INPUT", lambda: session.execute(
                   GraphQLRequest(DRY_RUN, variable_values={"text": "no plan in this text"}))))

    client.close_sync()

    def over_the_socket():
        async def go():
            socket = WebsocketsTransport(
                url=url.replace("http://", "ws://", 1),
                init_payload={"Authorization": f"Bearer {token}"},
            )
            async with Client(transport=socket, fetch_schema_from_transport=True) as ws:
                expect(ws.client.schema is not None, "no schema over the socket")
                fields = sorted(ws.client.schema.query_type.fields)
                expect("tasks" in fields, f"Query over the socket: {fields}")
                first = await ws.execute(FIRST_TASKS)
                expect(len(first["tasks"]["nodes"]) == 5, show(first))
                try:
                    await ws.execute(TOO_MANY)
                except TransportQueryError as error:
                    code = (error.errors or [{}])[0].get("extensions", {}).get("code")
                    expect(code == "BAD_USER_INPUT", f"code over the socket: {show(error.errors)}")
                else:
                    raise CheckFailure("tasks(first: 101) answered over the socket")
                return len(ws.client.schema.type_map)

        types = asyncio.run(go())
        return {"note": f"{types} types"}

    checks.run("WebsocketsTransport: the schema, a query and an error code over the socket", over_the_socket)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
