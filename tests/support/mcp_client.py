"""The official MCP Python SDK's client against the worker's /mcp endpoint:
initialise, list the tools, call each call given, and print what came back
(with each answer's size) as one JSON object."""

import asyncio
import json
import sys

from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client


def field(value, *names):
    """An attribute by its name in this SDK version (2.x snake_case, 1.x camelCase)."""
    for name in names:
        if hasattr(value, name):
            return getattr(value, name)
    raise AttributeError(names[0])


async def main(url: str, calls: list) -> None:
    async with streamable_http_client(url) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            tools = await session.list_tools()
            out = {
                "server": field(init, "server_info", "serverInfo").name,
                "protocol": field(init, "protocol_version", "protocolVersion"),
                "tools": [tool.name for tool in tools.tools],
                "calls": [],
            }
            for name, arguments in calls:
                result = await session.call_tool(name, arguments)
                text = "".join(part.text for part in result.content if getattr(part, "type", "") == "text")
                out["calls"].append(
                    {
                        "name": name,
                        "is_error": bool(field(result, "is_error", "isError")),
                        "bytes": len(text.encode()),
                        "data": field(result, "structured_content", "structuredContent"),
                        "text": text if field(result, "is_error", "isError") else None,
                    }
                )
            print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], json.loads(sys.argv[2])))
