using FlashFundX.Ops.Tests.Support;
using FlashFundX.Workflows.Orders;
using Temporalio.Api.Enums.V1;
using YamlDotNet.RepresentationModel;

namespace FlashFundX.Ops.Tests.Compose;

/// <summary>temporal-dev.yml must start the dev server the way the code expects it: our search attributes, gRPC 7233, UI 8233.</summary>
public sealed class TemporalDevComposeTests
{
    private const string SearchAttributeFlag = "--search-attribute=";

    private static readonly YamlMappingNode Temporal = LoadTemporalService();

    [Fact]
    public void SearchAttributes_MatchOrderSearchAttributes()
    {
        var declared = Command()
            .Where(arg => arg.StartsWith(SearchAttributeFlag, StringComparison.Ordinal))
            .Select(arg => arg[SearchAttributeFlag.Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => Enum.Parse<IndexedValueType>(pair[1], ignoreCase: true));

        var expected = OrderSearchAttributes.All.ToDictionary(key => key.Name, key => key.ValueType);

        Assert.Equal(expected.OrderBy(e => e.Key), declared.OrderBy(d => d.Key));
    }

    [Theory]
    [InlineData("--port", "7233")]
    [InlineData("--ui-port", "8233")]
    public void Command_ListensOnTemporalDefaultPorts(string flag, string port)
    {
        Assert.Contains($"{flag}={port}", Command());
    }

    [Theory]
    [InlineData("7233:7233")]
    [InlineData("8233:8233")]
    public void Ports_PublishGrpcAndWebUi(string mapping)
    {
        var ports = ((YamlSequenceNode)Temporal.Children[new YamlScalarNode("ports")]).Children.Select(p => ((YamlScalarNode)p).Value);

        Assert.Contains(mapping, ports);
    }

    private static List<string> Command() =>
        [.. ((YamlSequenceNode)Temporal.Children[new YamlScalarNode("command")]).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static YamlMappingNode LoadTemporalService()
    {
        using var reader = new StreamReader(RepositoryFiles.PathOf("temporal-dev.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("services")];
        return (YamlMappingNode)services.Children[new YamlScalarNode("temporal")];
    }
}
