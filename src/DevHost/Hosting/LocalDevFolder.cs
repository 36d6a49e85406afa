namespace FlashFundX.DevHost.Hosting;

/// <summary>The <c>.localdev</c> folder at the repository root where the run command keeps its database and dev secrets.</summary>
internal static class LocalDevFolder
{
    /// <summary>The folder <see cref="LocalDevOptions.Folder"/> names (created if missing), else <c>.localdev</c> at the repository root.</summary>
    public static string Locate(string contentRoot, string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Directory.CreateDirectory(Path.GetFullPath(configured)).FullName;
        }

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
        WriteAtomically(path, secret, secret: true);
        return secret;
    }

    /// <summary>
    /// A loopback port remembered in the folder, so addresses handed out before a restart (an invoice's payment page)
    /// still answer after it; a new free one when there is none yet or the remembered one is taken.
    /// </summary>
    public static int Port(string root, string name)
    {
        var path = Path.Combine(root, name);
        if (File.Exists(path)
            && int.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var remembered)
            && remembered is > 0 and <= 65535
            && LocalDev.LoopbackPorts.IsFree(remembered))
        {
            return remembered;
        }
        var port = LocalDev.LoopbackPorts.Free();
        WriteAtomically(path, port.ToString(System.Globalization.CultureInfo.InvariantCulture), secret: false);
        return port;
    }

    /// <summary>Written beside and renamed over: a process killed mid-write leaves no empty or half-written file.</summary>
    private static void WriteAtomically(string path, string content, bool secret)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        if (secret && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
