using FlashFundX.Workflows.Orders;
using Temporalio.Api.Enums.V1;
using YamlDotNet.RepresentationModel;

namespace FlashFundX.Ops.Tests.Support;

/// <summary>A compose file of this repository, read with YamlDotNet: its services, as far as the tests look at them.</summary>
public sealed class ComposeFile
{
    private ComposeFile(string path, IReadOnlyDictionary<string, ComposeService> services)
    {
        FilePath = path;
        Services = services;
    }

    public string FilePath { get; }

    public string Directory => Path.GetDirectoryName(FilePath)!;

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    public ComposeService this[string service] =>
        Services.TryGetValue(service, out var found) ? found : throw new KeyNotFoundException($"{FilePath} has no service '{service}'.");

    /// <summary>Loads a compose file by its path from the repository root, e.g. <c>deploy/compose.yml</c>.</summary>
    public static ComposeFile Load(params string[] pathFromRoot)
    {
        var path = RepositoryFiles.PathOf(pathFromRoot);
        using var reader = new StreamReader(path);
        var yaml = new YamlStream();
        yaml.Load(reader);
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("services")];
        return new ComposeFile(path, services.Children.ToDictionary(
            s => ((YamlScalarNode)s.Key).Value!,
            s => new ComposeService(((YamlScalarNode)s.Key).Value!, (YamlMappingNode)s.Value)));
    }
}

/// <summary>One service of a compose file.</summary>
public sealed class ComposeService(string name, YamlMappingNode node)
{
    private const string SearchAttributeFlag = "--search-attribute=";

    public string Name { get; } = name;

    public YamlMappingNode Node { get; } = node;

    /// <summary><c>command</c> as a list (empty when the image's default runs).</summary>
    public IReadOnlyList<string> Command => Child("command") switch
    {
        null => [],
        YamlSequenceNode list => [.. list.Children.Select(Scalar)],
        var single => Scalar(single).Split(' ', StringSplitOptions.RemoveEmptyEntries),
    };

    public IReadOnlyList<string> Ports => Child("ports") is YamlSequenceNode ports ? [.. ports.Children.Select(Scalar)] : [];

    /// <summary><c>build.context</c> and <c>build.dockerfile</c>, or null for a service run from a published image.</summary>
    public (string Context, string Dockerfile)? Build => Child("build") switch
    {
        null => null,
        YamlScalarNode context => (context.Value!, "Dockerfile"),
        YamlMappingNode build => (ScalarOf(build, "context") ?? ".", ScalarOf(build, "dockerfile") ?? "Dockerfile"),
        _ => throw new InvalidOperationException($"Service '{Name}': unexpected build node."),
    };

    /// <summary>
    /// <c>environment</c> as written (not interpolated), in the list (<c>KEY=value</c>) or the mapping form, with YAML merge
    /// keys (<c>&lt;&lt;: *anchor</c>) applied the way compose applies them: the service's own keys win.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            switch (Child("environment"))
            {
                case YamlSequenceNode list:
                    foreach (var entry in list.Children.Select(Scalar))
                    {
                        var parts = entry.Split('=', 2);
                        environment[parts[0]] = parts.Length == 2 ? parts[1] : "";
                    }
                    break;
                case YamlMappingNode mapping:
                    AddMapping(environment, mapping);
                    break;
            }
            return environment;
        }
    }

    /// <summary>The <c>--search-attribute=Name=Type</c> flags of a Temporal dev server's command.</summary>
    public IReadOnlyDictionary<string, IndexedValueType> SearchAttributes() => Command
        .Where(arg => arg.StartsWith(SearchAttributeFlag, StringComparison.Ordinal))
        .Select(arg => arg[SearchAttributeFlag.Length..].Split('=', 2))
        .ToDictionary(pair => pair[0], pair => Enum.Parse<IndexedValueType>(pair[1], ignoreCase: true));

    /// <summary>What a Temporal server must have registered for our workflows: <see cref="OrderSearchAttributes.All"/>.</summary>
    public static IReadOnlyDictionary<string, IndexedValueType> ExpectedSearchAttributes { get; } =
        OrderSearchAttributes.All.ToDictionary(key => key.Name, key => key.ValueType);

    public YamlNode? Child(string key) => Node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static void AddMapping(Dictionary<string, string> environment, YamlMappingNode mapping)
    {
        var merged = mapping.Children.Where(c => Scalar(c.Key) == "<<").Select(c => c.Value).ToList();
        foreach (var source in merged.SelectMany(m => m is YamlSequenceNode list ? list.Children : [m]))
        {
            AddMapping(environment, (YamlMappingNode)source);
        }
        foreach (var (key, value) in mapping.Children.Where(c => Scalar(c.Key) != "<<"))
        {
            environment[Scalar(key)] = value is YamlScalarNode scalar ? scalar.Value ?? "" : throw new InvalidOperationException($"environment.{Scalar(key)} is not a scalar.");
        }
    }

    private static string? ScalarOf(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? Scalar(value) : null;

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;
}
