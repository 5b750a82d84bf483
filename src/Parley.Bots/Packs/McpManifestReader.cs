using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Parley.Bots.Packs;

/// <summary>Reads and checks the manifest's <c>mcp_servers</c>: the MCP servers whose tools a bot may use.</summary>
internal static partial class McpManifestReader
{
    public static IReadOnlyList<McpServerDeclaration> ReadServers(YamlMap manifest)
    {
        var sequence = manifest.Sequence("mcp_servers");
        if (sequence is null)
        {
            return [];
        }

        var servers = new List<McpServerDeclaration>();
        var index = 0;
        foreach (var node in sequence)
        {
            var map = new YamlMap(manifest.File, node, $"mcp_servers[{index++}]");
            var name = map.String("name", required: true)!.Trim();
            if (!NameRegex().IsMatch(name))
            {
                throw map.Error(map.Node("name")!, $"field '{map.Field("name")}' must be letters, digits, '-' or '_' (got '{name}')");
            }

            var command = map.String("command")?.Trim();
            var url = map.String("url")?.Trim();
            if ((command is null) == (url is null))
            {
                throw map.Error(node, $"'{map.Field("name")}' ({name}) needs exactly one of 'command' (a program started and spoken to over stdio) or 'url' (an HTTP server)");
            }

            Uri? endpoint = null;
            if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
            {
                throw map.Error(map.Node("url")!, $"field '{map.Field("url")}' must be an absolute http or https URL (got '{url}')");
            }

            var server = new McpServerDeclaration
            {
                Name = name,
                Command = command,
                Arguments = [.. map.StringList("args").Select(a => a.Value)],
                Environment = Strings(map, "env"),
                WorkingDirectory = map.String("cwd"),
                Url = endpoint,
                Headers = Strings(map, "headers"),
                AllowedTools = [.. map.StringList("tools").Select(t => t.Value)],
                RequireApproval = map.Boolean("approval"),
                Prefix = map.Boolean("prefix") ?? false,
                Timeout = TimeSpan.FromSeconds(map.Number("timeout_seconds", 1, 600) ?? McpServerDeclaration.DefaultTimeout.TotalSeconds),
                Location = $"{manifest.File}:{map.Line}",
            };
            map.RejectUnknownKeys();
            if (server.Url is not null && (server.Arguments.Count > 0 || server.Environment.Count > 0 || server.WorkingDirectory is not null))
            {
                throw map.Error(node, $"'{map.Field("name")}' ({name}) is an HTTP server: 'args', 'env' and 'cwd' are for servers started with 'command'");
            }

            if (server.Command is not null && server.Headers.Count > 0)
            {
                throw map.Error(node, $"'{map.Field("name")}' ({name}) is started with 'command': 'headers' are for HTTP servers");
            }

            if (servers.Any(s => s.Name == name))
            {
                throw map.Error(node, $"the MCP server '{name}' is declared twice in 'mcp_servers'");
            }

            servers.Add(server);
        }

        return servers;
    }

    private static Dictionary<string, string> Strings(YamlMap map, string key)
    {
        var node = map.Node(key);
        if (node is null || node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }

        if (node is not YamlMappingNode mapping)
        {
            throw map.Error(node, $"field '{map.Field(key)}' must be a map of names to text");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in mapping.Children)
        {
            if (name is not YamlScalarNode { Value: { Length: > 0 } text } || value is not YamlScalarNode scalar)
            {
                throw map.Error(name, $"each entry of '{map.Field(key)}' must be NAME: text");
            }

            values[text] = scalar.Value ?? "";
        }

        return values;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex NameRegex();
}
