using System.Xml.Linq;
using FlashFundX.Ops.Tests.Support;

namespace FlashFundX.Ops.Tests.ProjectReferences;

/// <summary>
/// The production hosts cannot provision anything because nothing that could is in their dependency graph: their
/// project references, followed transitively, reach none of the development-only projects.
/// </summary>
public sealed class ProductionHostReferencesTests
{
    private static readonly string[] DevelopmentOnly =
        ["FlashFundX.LocalDev", "FlashFundX.EmbeddedTemporal", "FlashFundX.NowPayments.Simulator", "FlashFundX.DevHost"];

    [Theory]
    [InlineData("src/Api/FlashFundX.Api.csproj")]
    [InlineData("src/Worker/FlashFundX.Worker.csproj")]
    public void ProductionHost_ReachesNoDevelopmentProject(string project)
    {
        var reached = Reachable(RepositoryFiles.PathOf(project.Split('/')));

        Assert.Contains("FlashFundX.ServiceDefaults", reached);
        Assert.Empty(reached.Intersect(DevelopmentOnly));
    }

    [Fact]
    public void DevHost_ComposesTheProductionHostsWithTheDevelopmentProjects()
    {
        var reached = Reachable(RepositoryFiles.PathOf("src", "DevHost", "FlashFundX.DevHost.csproj"));

        Assert.Superset(new HashSet<string>(["FlashFundX.Api", "FlashFundX.Worker", .. DevelopmentOnly.Where(p => p != "FlashFundX.DevHost")]), reached);
    }

    [Fact]
    public void Worker_DoesNotCarryTheApiDocumentation()
    {
        var packages = Reachable(RepositoryFiles.PathOf("src", "Worker", "FlashFundX.Worker.csproj"), includeStart: true)
            .SelectMany(name => PackageReferences(ProjectPath(name)))
            .ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain("Microsoft.AspNetCore.OpenApi", packages);
        Assert.DoesNotContain("Scalar.AspNetCore", packages);
    }

    private static HashSet<string> Reachable(string start, bool includeStart = false)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(start)]);
        while (pending.TryPop(out var project))
        {
            foreach (var reference in ProjectReferences(project))
            {
                if (seen.Add(Path.GetFileNameWithoutExtension(reference)))
                {
                    pending.Push(reference);
                }
            }
        }
        if (includeStart)
        {
            seen.Add(Path.GetFileNameWithoutExtension(start));
        }
        return seen;
    }

    private static IEnumerable<string> ProjectReferences(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(e => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, e.Attribute("Include")!.Value)));

    private static IEnumerable<string> PackageReferences(string project) =>
        XDocument.Load(project).Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value);

    private static string ProjectPath(string name) =>
        Directory.EnumerateFiles(RepositoryFiles.PathOf("src"), name + ".csproj", SearchOption.AllDirectories).Single();
}
