using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FlashFundX.Ops.Tests.Support;

namespace FlashFundX.Ops.Tests.Deploy;

/// <summary>The few facts the tests need from one of our Dockerfiles, read from its final stage.</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(
        string path, IReadOnlyList<(string Instruction, string Arguments)> finalStage, IReadOnlyList<string> publishedProjects, IReadOnlyList<string> copiedFromContext)
    {
        FilePath = path;
        FinalStage = finalStage;
        PublishedProjects = publishedProjects;
        CopiedFromContext = copiedFromContext;
    }

    public string FilePath { get; }

    /// <summary>Instructions after the last <c>FROM</c>, continuation lines joined.</summary>
    public IReadOnlyList<(string Instruction, string Arguments)> FinalStage { get; }

    /// <summary>The project files a <c>dotnet publish</c> of any stage names, as paths from the repository root.</summary>
    public IReadOnlyList<string> PublishedProjects { get; }

    /// <summary>What any stage copies from the build context (<c>COPY</c> sources without <c>--from</c>), as written.</summary>
    public IReadOnlyList<string> CopiedFromContext { get; }

    /// <summary>The final stage's ENTRYPOINT in exec (JSON) form.</summary>
    public IReadOnlyList<string> Entrypoint =>
        JsonSerializer.Deserialize<string[]>(Last("ENTRYPOINT") ?? throw new InvalidOperationException($"{FilePath} has no ENTRYPOINT."))
        ?? throw new InvalidOperationException($"{FilePath}: ENTRYPOINT is not in exec form.");

    /// <summary>The final stage's <c>ENV</c> (the <c>KEY=value</c> form, values without spaces): what every container starts with.</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        FinalStage
            .Where(i => i.Instruction == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1].Trim('"') : "", StringComparer.Ordinal);

    public string? Last(string instruction) =>
        FinalStage.LastOrDefault(i => string.Equals(i.Instruction, instruction, StringComparison.OrdinalIgnoreCase)).Arguments;

    /// <summary>The Dockerfile a compose service builds from (<c>build.context</c> is relative to the compose file).</summary>
    public static Dockerfile Of(ComposeFile compose, ComposeService service)
    {
        var (context, file) = service.Build ?? throw new InvalidOperationException($"{service.Name} is not built from a Dockerfile.");
        var path = Path.GetFullPath(Path.Combine(compose.Directory, context, file));
        return File.Exists(path) ? Load(path) : throw new FileNotFoundException($"{service.Name}: {path} does not exist.", path);
    }

    public static Dockerfile Load(string path)
    {
        var instructions = new List<(string, string)>();
        var current = "";
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }
            current += line.EndsWith('\\') ? line[..^1] + " " : line;
            if (!line.EndsWith('\\'))
            {
                var parts = current.Split(' ', 2, StringSplitOptions.TrimEntries);
                instructions.Add((parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1] : ""));
                current = "";
            }
        }
        var lastFrom = instructions.FindLastIndex(i => i.Item1 == "FROM");
        var published = instructions
            .Where(i => i.Item1 == "RUN")
            .SelectMany(i => Publish().Matches(i.Item2).Select(m => m.Groups["project"].Value))
            .ToList();
        var copied = instructions
            .Where(i => i.Item1 == "COPY" && !i.Item2.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(i => i.Item2.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            .ToList();
        return new Dockerfile(path, instructions[(lastFrom + 1)..], published, copied);
    }

    /// <summary>The assembly a project builds: its <c>AssemblyName</c>, else the project file's name.</summary>
    public static string AssemblyNameOf(string projectFromRoot)
    {
        var path = RepositoryFiles.PathOf(projectFromRoot);
        var declared = XDocument.Load(path).Descendants("AssemblyName").Select(e => e.Value.Trim()).LastOrDefault();
        return string.IsNullOrEmpty(declared) ? Path.GetFileNameWithoutExtension(path) : declared;
    }

    [GeneratedRegex(@"dotnet publish (?<project>\S+\.csproj)")]
    private static partial Regex Publish();
}
