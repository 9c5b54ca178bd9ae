namespace PiiScanner.Index;

/// <summary>
/// Creates output files readable by their owner only (mode 0600 on Unix, set at creation — never
/// create-then-chmod) and replaces existing outputs atomically: content goes to a temporary file in the same
/// directory that is renamed over the target when complete.
/// </summary>
internal static class OwnerOnlyFile
{
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirMode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the directory (0700 on Unix) when it does not exist; an existing one is left as it is.</summary>
    public static void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, DirMode0700);
        }
    }

    /// <summary>Creates the directory, or tightens an existing one, to owner-only (0700 on Unix).</summary>
    public static void EnsureOwnerOnlyDirectory(string directory)
    {
        EnsureDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, DirMode0700);
        }
    }

    /// <summary>A fresh, empty, owner-only temporary file beside <paramref name="finalPath"/>.</summary>
    public static string NewTempPath(string finalPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(finalPath)) ?? ".";
        return Path.Combine(dir, "." + Path.GetFileName(finalPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
    }

    /// <summary>Opens a new owner-only file for writing; fails if the path exists.</summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 1 << 16,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode0600;
        }

        return new FileStream(path, options);
    }

    /// <summary>
    /// Writes <paramref name="finalPath"/> owner-only and atomically: <paramref name="write"/> fills a new temporary
    /// file beside it, which is flushed to disk and renamed over the target; a failed write leaves no temporary file.
    /// </summary>
    public static void Write(string finalPath, Action<Stream> write)
    {
        var full = Path.GetFullPath(finalPath);
        using var file = new StagedFile(Path.GetDirectoryName(full) ?? ".", Path.GetFileName(full));
        write(file.Stream);
        file.Commit();
    }

    /// <summary>Renames the finished temporary file over the target.</summary>
    public static void Commit(string tempPath, string finalPath) => File.Move(tempPath, finalPath, overwrite: true);

    /// <summary>Removes a temporary file left by a failed write; never throws.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
