namespace FlashFundX.Ops.Tests.Support;

/// <summary>Files of this checkout, found by walking up from the test binaries to FlashFundX.sln.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlashFundX.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"FlashFundX.sln not found above {AppContext.BaseDirectory}.");
    }
}
