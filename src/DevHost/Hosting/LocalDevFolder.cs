namespace FlashFundX.DevHost.Hosting;

/// <summary>The <c>.localdev</c> folder at the repository root where the run command keeps its database and dev secrets.</summary>
internal static class LocalDevFolder
{
    public static string Locate(string contentRoot)
    {
        var dir = new DirectoryInfo(contentRoot);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FlashFundX.sln")))
        {
            dir = dir.Parent;
        }
        var root = Path.Combine(dir?.FullName ?? contentRoot, ".localdev");
        Directory.CreateDirectory(root);
        return root;
    }

    /// <summary>A random secret generated once and kept in the folder, so tokens and ciphertexts survive restarts.</summary>
    public static string Secret(string root, string name, int bytes)
    {
        var path = Path.Combine(root, name);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return secret;
    }
}
