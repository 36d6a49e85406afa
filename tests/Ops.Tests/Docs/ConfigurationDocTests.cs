using System.Reflection;
using System.Text.RegularExpressions;
using FlashFundX.Ops.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace FlashFundX.Ops.Tests.Docs;

/// <summary>
/// docs/configuration.md against the code: every property of every options class (a public type with
/// <c>public const string SectionName</c>) in the production hosts and the assemblies they reference is in the doc's table
/// as <c>Section__Property</c>, and every <c>Section__Key</c> the table names is one of them or read without an options class.
/// </summary>
public sealed partial class ConfigurationDocTests
{
    private const string Doc = "docs/configuration.md";

    /// <summary>The production hosts; the options they can read live in these and the FlashFundX assemblies they reference.</summary>
    private static readonly string[] HostAssemblies = ["FlashFundX.Api", "FlashFundX.Worker"];

    /// <summary>Documented settings no options class binds, each with where the code reads it.</summary>
    private static readonly Dictionary<string, string> ReadWithoutOptionsClass = new(StringComparer.Ordinal)
    {
        // A connection string: read with GetConnectionString("FlashFundX") into DatabaseConnection, which has no section.
        ["ConnectionStrings__FlashFundX"] = "FlashFundX.Data.Database.DatabaseConnection",
    };

    private static readonly HashSet<string> Documented = DocumentedSettings();

    private static readonly IReadOnlyList<(Type Options, string Setting)> Bound = BoundSettings();

    [Fact]
    public void OptionsClasses_AreFoundInTheHosts()
    {
        var sections = Bound.Select(b => b.Setting.Split("__")[0]).ToHashSet(StringComparer.Ordinal);

        // Guards the discovery itself: a test that found no options class would pass vacuously.
        Assert.Superset(new HashSet<string>(["Auth", "Credentials", "Database", "NowPayments", "Temporal", "Fulfillment", "Smtp", "Metrics"]), sections);
    }

    [Fact]
    public void EveryOptionsProperty_IsInTheDoc()
    {
        var missing = Bound
            .Where(b => !Documented.Contains(b.Setting))
            .Select(b => $"{Shown(b.Setting)} ({b.Options.FullName})")
            .ToList();

        Assert.True(missing.Count == 0, $"{Doc} does not name: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EverySettingInTheDoc_IsBoundOrReadByTheCode()
    {
        var bound = Bound.Select(b => b.Setting).ToHashSet(StringComparer.Ordinal);

        var unknown = Documented.Where(s => !bound.Contains(s) && !ReadWithoutOptionsClass.ContainsKey(s)).Select(Shown).ToList();

        Assert.True(unknown.Count == 0, $"{Doc} names settings no options class has: {string.Join(", ", unknown)}");
    }

    /// <summary>
    /// Settings in the first column of the doc's table written <c>Section__Key</c>; a collection's
    /// <c>Section__Key__0..n</c> or <c>Section__Key__&lt;id&gt;</c> becomes <c>Section__Key__*</c>.
    /// </summary>
    private static HashSet<string> DocumentedSettings()
    {
        var firstCells = File.ReadLines(RepositoryFiles.PathOf(Doc))
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|')[1]);
        return firstCells
            .SelectMany(cell => Code().Matches(cell).Select(m => m.Groups[1].Value))
            .Where(name => name.Contains("__", StringComparison.Ordinal))
            .Select(name => CollectionSuffix().Replace(name, "__*"))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static List<(Type, string)> BoundSettings()
    {
        var assemblies = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Queue<AssemblyName>(HostAssemblies.Select(name => new AssemblyName(name)));
        while (pending.TryDequeue(out var name))
        {
            if (assemblies.ContainsKey(name.Name!))
            {
                continue;
            }
            var assembly = Assembly.Load(name);
            assemblies[name.Name!] = assembly;
            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("FlashFundX.", StringComparison.Ordinal)))
            {
                pending.Enqueue(reference);
            }
        }
        return
        [
            .. assemblies.Values
                .SelectMany(a => a.GetExportedTypes())
                .Select(t => (Type: t, Section: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
                .Where(t => t.Section is { IsLiteral: true } && t.Section.FieldType == typeof(string))
                .SelectMany(t => SettingsOf(t.Type, (string)t.Section!.GetRawConstantValue()!).Select(s => (t.Type, s))),
        ];
    }

    /// <summary>What the configuration binder fills: public settable instance properties, by their configuration key.</summary>
    private static IEnumerable<string> SettingsOf(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0))
        {
            var key = $"{prefix}__{property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(propertyType))
            {
                yield return key;
            }
            else if (propertyType.IsArray || propertyType.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))
            {
                yield return key + "__*";
            }
            else
            {
                foreach (var nested in SettingsOf(propertyType, key))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri) || type == typeof(Guid);

    private static string Shown(string setting) => setting.EndsWith("__*", StringComparison.Ordinal)
        ? $"{setting[..^1]}0..n (or __<id>)"
        : setting;

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"__(0\.\.n|<[^>]+>)$")]
    private static partial Regex CollectionSuffix();
}
