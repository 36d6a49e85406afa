namespace FlashFundX.TestSupport.Processes;

/// <summary>The checkout the tests run from: the folder above the test binaries that holds <c>FlashFundX.sln</c>.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Located = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Located.Value;

    private static string Locate()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "FlashFundX.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"FlashFundX.sln not found above {AppContext.BaseDirectory}.");
    }
}
