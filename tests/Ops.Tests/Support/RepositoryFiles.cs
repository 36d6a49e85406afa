using FlashFundX.TestSupport.Processes;

namespace FlashFundX.Ops.Tests.Support;

/// <summary>Files of this checkout (<see cref="RepositoryRoot"/>).</summary>
public static class RepositoryFiles
{
    public static string Root => RepositoryRoot.Path;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
