using System.Globalization;
using System.Security.Cryptography;
using PiiScanner.Sources.SleuthKit;

namespace PiiScanner.Sources;

/// <summary>
/// Reads a disk image (raw/dd, split raw <c>.001 .002 …</c>, E01, VMDK, VHD) through The Sleuth Kit's programs:
/// every file of every file system in every partition, deleted files included, and unallocated space as raw pages.
/// <para>
/// Item paths: <c>p1/home/a.txt</c> (partition label <c>pN</c> = N-th file-system partition in <c>mmls</c> order,
/// <c>fs</c> for an image without a partition table), then the path as <c>fls -p</c> prints it with <c>%</c>,
/// <c>!</c>, <c>#</c> and control characters escaped as <c>%XX</c>. A deleted entry always ends in
/// <c>#&lt;address&gt;</c> (<c>p1/gone.txt#13</c>, <c>p1/x.doc#65-128-2</c>) so two deleted files with the same name
/// stay two items. Raw pages are <c>p1/$unallocated/&lt;image offset, 15 digits&gt;</c>,
/// <c>$unpartitioned/…</c> (space outside partitions), <c>pN/$raw/…</c> (a partition without a recognised file
/// system) and <c>$image/…</c> (<see cref="DiskImageOptions.ScanWholeImage"/>), each with
/// <see cref="ScanItem.ExtractorHint"/> <c>raw</c> and <see cref="ItemOrigin.ImageOffset"/>; pages follow
/// the raw extractor's paging contract.
/// </para>
/// <para>
/// Forensic guarantees: the image files are only ever opened for reading (by this class, to hash and to read raw
/// pages of a single-file raw image; by The Sleuth Kit otherwise). File contents are read in-process through libtsk
/// (one image and one file-system handle for the whole scan, a file handle per open item; fact <c>image.contents</c>
/// says which path ran), or, when libtsk cannot be loaded, streamed from one <c>icat</c> per file; never written to disk.
/// </para>
/// <para>
/// File slack (read through libtsk only): the bytes after an allocated file's end in the data units it owns are an
/// item of their own, <c>p1/docs/a.txt#slack</c> (<c>#</c> is always escaped in names, so the suffix cannot collide),
/// with <see cref="ScanItem.ExtractorHint"/> <c>raw</c> and <see cref="ItemOrigin.ImageOffset"/> at the slack's
/// first byte, so findings carry <c>offset N</c> image offsets. All-zero slack gives no item
/// (<c>image.slack.empty</c> counts those files). The SHA-256 of the image files is computed before enumeration and again in
/// <see cref="GetFacts"/>; <c>image.unchanged</c> reports whether they match.
/// </para>
/// Not thread-safe for concurrent enumerations; the items' <see cref="ScanItem.Open"/> functions are thread-safe.
/// </summary>
public sealed class DiskImageSource : IScanSource, IScanSourceFacts
{
    private const string Package = "sleuthkit";
    private readonly DiskImageOptions _options;
    private readonly DiskImageProbeResult _probe;
    private readonly TskTools _tools;
    private readonly SortedDictionary<string, string> _facts = new(StringComparer.Ordinal);
    private readonly List<Volume> _volumes = [];
    private readonly List<string> _unlisted = [];
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Volume, long Unit), Task<string?>> _located = [];
    private FileSnapshot? _before;
    private bool _afterDone;
    private long _files;
    private long _deleted;
    private long _skipped;
    private long _rawPages;
    private long _rawBytes;
    private long _slackItems;
    private long _slackBytes;
    private long _slackEmpty;
    private TskImage? _image;
    private string? _content;

    /// <summary>Creates a source for the image at <paramref name="path"/> (the first segment of a split or E01 set).</summary>
    /// <exception cref="NotSupportedException">The file is a disk image format The Sleuth Kit cannot read (qcow2, VDI…); the message says how to convert it.</exception>
    /// <exception cref="InvalidDataException">A segment of a split raw or E01 set, an extent of a VMDK or the parent of a differencing image is missing; the message says which (<c>E01 segment 3 of 5 missing (case.E03)</c>).</exception>
    public DiskImageSource(string path, DiskImageOptions? options = null)
    {
        ImagePath = Path.GetFullPath(path);
        _options = options ?? new DiskImageOptions();
        _tools = new TskTools(_options.ToolDirectory);
        _probe = DiskImageProbe.Probe(ImagePath);
        if (_probe.Kind == DiskImageKind.Unsupported)
        {
            throw new NotSupportedException(_probe.UnsupportedReason);
        }

        if (_probe.MissingPart is not null)
        {
            throw new InvalidDataException(_probe.MissingPart);
        }

        if (_probe.Kind == DiskImageKind.None)
        {
            // Not recognised: handed to The Sleuth Kit as raw anyway (it may still find a file system or nothing).
            _probe = _probe with { Kind = DiskImageKind.Raw, Content = "unknown" };
        }
    }

    /// <summary>
    /// A source that reads only <paramref name="part"/> of this image, with the same options (and so the same item
    /// paths); see <see cref="PlanPartsAsync"/>.
    /// </summary>
    public DiskImageSource ForPart(DiskImagePart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        return new DiskImageSource(ImagePath, _options with { Part = part });
    }

    /// <summary>The image's logical name (<see cref="DiskImageOptions.LogicalName"/>: its items' paths start with it and a <c>/</c>); empty when it has none.</summary>
    public string LogicalPath => _options.LogicalName ?? string.Empty;

    /// <summary>Full path of the image (first segment).</summary>
    public string ImagePath { get; }

    /// <summary>The files that make up the image, in order.</summary>
    public IReadOnlyList<string> Segments => _probe.Segments;

    /// <inheritdoc />
    public string Description => $"disk image {ImagePath} ({TypeName})";

    /// <summary>
    /// What the image's data starts with (<c>mbr</c>, <c>gpt</c>, <c>ext</c>, <c>xfs</c>…): for a raw image from its
    /// first bytes; for an E01, VMDK or VHD from the first bytes of the data inside when libtsk reads it, else the
    /// container's name (<c>ewf</c>).
    /// </summary>
    private string Content => _content ?? _probe.Content ?? "unknown";

    private string TypeName => _probe.Kind switch
    {
        DiskImageKind.Raw => "raw",
        DiskImageKind.SplitRaw => "split-raw",
        DiskImageKind.Ewf => "ewf",
        DiskImageKind.Vmdk => "vmdk",
        DiskImageKind.Vhd => "vhd",
        DiskImageKind.Aff => "aff",
        _ => "unknown",
    };

    /// <summary>
    /// Decides by content whether <paramref name="path"/> is a disk image: E01, VMDK, VHD, AFF, a partition table
    /// (MBR, GPT) or a bare file system (ext2/3/4, NTFS, FAT, exFAT, HFS+, ISO 9660); a <c>.001</c> file whose
    /// content is one of those is the first segment of a split raw image. Returns true also for disk images that
    /// cannot be read (qcow2, VDI, VHDX, DMG, Ex01, LUKS, differencing VMDK/VHD), and for split raw and E01 sets with a
    /// segment missing, a VMDK with an extent missing or a differencing image without its parent:
    /// then <paramref name="unsupportedReason"/> says what it is and how to convert it, or which segment is
    /// missing, and the root must fail with that message. Reads at most 64 KiB of the image (and the section chain
    /// of an E01 set's last segment); never throws for unreadable files (returns false).
    /// </summary>
    public static bool IsDiskImage(string path, out string? unsupportedReason)
    {
        var probe = DiskImageProbe.Probe(path);
        unsupportedReason = probe.UnsupportedReason ?? probe.MissingPart;
        return probe.Kind != DiskImageKind.None;
    }

    /// <summary>
    /// Checks that The Sleuth Kit is installed (and can read this image's format); throws
    /// <see cref="MissingToolException"/> naming the Debian package otherwise. Called by <see cref="EnumerateAsync"/>.
    /// </summary>
    public async Task CheckToolsAsync(CancellationToken cancellationToken)
    {
        foreach (var tool in (string[])["mmls", "fsstat", "fls", "icat", "blkls", "blkcat", "img_cat", "img_stat", "ifind", "ffind"])
        {
            _tools.Resolve(tool, Package);
        }

        var format = _probe.Kind switch
        {
            DiskImageKind.Ewf => "ewf",
            DiskImageKind.Vmdk => "vmdk",
            DiskImageKind.Vhd => "vhd",
            DiskImageKind.Aff => "aff",
            _ => null,
        };
        if (format is not null)
        {
            var list = await _tools.RunAsync("mmls", ["-i", "list"], cancellationToken).ConfigureAwait(false);
            var supported = (list.StdOut + " " + list.StdErr).Contains(format + " (", StringComparison.OrdinalIgnoreCase);
            if (!supported)
            {
                throw format == "ewf"
                    ? new MissingToolException("libewf", "libewf2",
                        "this Sleuth Kit build cannot read E01 images; install Debian's `sleuthkit` (built with libewf), or convert with `ewfexport -t out -f raw image.E01` from the Debian package `ewf-tools`.")
                    : new MissingToolException($"lib{format}", Package,
                        $"this Sleuth Kit build cannot read {format.ToUpperInvariant()} images; install Debian's `sleuthkit`, or convert with `qemu-img convert -O raw` (Debian package `qemu-utils`).");
            }
        }
    }

    /// <inheritdoc />
    public async Task EnumerateAsync(ItemWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_options.LogicalName is { } name)
        {
            output = new PrefixWriter(output, name + "/");
        }

        var part = _options.Part;
        await CheckToolsAsync(cancellationToken).ConfigureAwait(false);
        SetFact("image.path", ImagePath);
        SetFact("image.type", TypeName);

        SetFact("image.segments", _probe.Segments.Count.ToString(CultureInfo.InvariantCulture));
        if (part is null)
        {
            await HashBeforeAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_probe.Kind == DiskImageKind.Ewf && _options.VerifyEwf && part?.VerifiesImage != false)
        {
            await VerifyEwfAsync(cancellationToken).ConfigureAwait(false);
        }

        var version = await _tools.RunAsync("mmls", ["-V"], cancellationToken).ConfigureAwait(false);
        SetFact("tsk.version", version.StdOut.Replace("The Sleuth Kit ver", string.Empty, StringComparison.Ordinal).Trim());
        OpenLibrary();
        if (_image is not null && _probe.Kind is DiskImageKind.Ewf or DiskImageKind.Vmdk or DiskImageKind.Vhd or DiskImageKind.Aff)
        {
            try
            {
                var head = new byte[64 << 10];
                _content = DiskImageProbe.RawContent(head.AsSpan(0, _image.Read(0, head))) ?? "unknown";
            }
            catch (ToolFailedException)
            {
                // The container's first chunk does not read: its name stays the content; the volumes will say more.
            }
        }

        SetFact("image.content", Content);

        var imageSize = await GetImageSizeAsync(cancellationToken).ConfigureAwait(false);
        SetFact("image.size", imageSize.ToString(CultureInfo.InvariantCulture));

        var table = await ReadVolumeSystemAsync(cancellationToken).ConfigureAwait(false);
        var partitions = new List<string>();
        var wholePages = _options.ScanWholeImage && (part is null || part.HasPages(0, imageSize));
        if (table is null || !table.Entries.Any(e => e.IsPartition))
        {
            SetFact("image.volumeSystem", "none");
            if (part is null || part.HasFiles(0) || (ReadsUnallocated && part.HasPages(0, imageSize)))
            {
                var volume = await OpenVolumeAsync(0, "fs", partition: null, 0, imageSize, cancellationToken).ConfigureAwait(false);
                if (part is null || part.IsFirstOf(0))
                {
                    partitions.Add(Describe(volume, "whole image"));
                }

                await EnumerateVolumeAsync(volume, part, output, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            SetFact("image.volumeSystem", table.VolumeSystem);
            var n = 0;
            foreach (var entry in table.Entries)
            {
                var start = entry.Start * table.SectorSize;
                var length = entry.Length * table.SectorSize;
                if (entry.IsPartition)
                {
                    var index = n++;
                    if (part is not null && !part.HasFiles(index) && !(ReadsUnallocated && part.HasPages(start, length)))
                    {
                        continue;
                    }

                    var label = "p" + n.ToString(CultureInfo.InvariantCulture);
                    var volume = await OpenVolumeAsync(index, label, label, start, length, cancellationToken).ConfigureAwait(false);
                    if (part is null || part.IsFirstOf(index))
                    {
                        partitions.Add(Describe(volume, $"mmls {entry.Index} {entry.Description}"));
                    }

                    await EnumerateVolumeAsync(volume, part, output, cancellationToken).ConfigureAwait(false);
                }
                else if (entry.IsUnallocated && ReadsUnallocated)
                {
                    await WritePagesAsync(output, "$unpartitioned", null, start, Math.Min(length, imageSize - start), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (partitions.Count > 0)
        {
            SetFact("image.partitions", string.Join("; ", partitions));
        }

        if (wholePages)
        {
            await WritePagesAsync(output, "$image", null, 0, imageSize, cancellationToken).ConfigureAwait(false);
        }

        SetFact("image.items.files", _files.ToString(CultureInfo.InvariantCulture));
        SetFact("image.items.deleted", _deleted.ToString(CultureInfo.InvariantCulture));
        SetFact("image.items.skipped", _skipped.ToString(CultureInfo.InvariantCulture));
        SetFact("image.raw.pages", _rawPages.ToString(CultureInfo.InvariantCulture));
        SetFact("image.raw.bytes", _rawBytes.ToString(CultureInfo.InvariantCulture));
        if (_image is not null)
        {
            SetFact("image.slack.items", _slackItems.ToString(CultureInfo.InvariantCulture));
            SetFact("image.slack.bytes", _slackBytes.ToString(CultureInfo.InvariantCulture));
            SetFact("image.slack.empty", _slackEmpty.ToString(CultureInfo.InvariantCulture));
        }
        if (_unlisted.Count > 0)
        {
            SetFact("image.unlisted", string.Join("; ", _unlisted));
        }
    }

    /// <summary>
    /// Cuts the image into parts for work units: the files of each volume, cut by path into ranges of about
    /// <paramref name="fileRangeBytes"/> of file sizes or at most <paramref name="filesPerPart"/> entries each (see
    /// <see cref="DiskImagePart.Files(int, string, string)"/>; a cut falls where the directory changes when one is
    /// near, so small subtrees stay whole), then the raw pages cut into byte ranges holding about
    /// <paramref name="pageRangeBytes"/> of pages each (none when neither unallocated space nor the whole image is
    /// scanned). Runs <c>mmls</c>, <c>fsstat</c>, one <c>fls -r</c> per file system (to cut its files) and
    /// <c>blkls</c> (to find the pages); reads no file. Enumerating every part (<see cref="DiskImageOptions.Part"/>)
    /// yields exactly the items of one whole enumeration, and <see cref="MergePartFacts"/> over their facts, in plan
    /// order, with the facts of <see cref="HashBeforeAsync"/>, gives its facts.
    /// </summary>
    /// <exception cref="ScanSourceException">The Sleuth Kit is not installed, or cannot read this image's format (the message names the package), as a scan of the image reports it.</exception>
    public async Task<IReadOnlyList<DiskImagePart>> PlanPartsAsync(long pageRangeBytes, long fileRangeBytes, int filesPerPart, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageRangeBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fileRangeBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filesPerPart);
        try
        {
            await CheckToolsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MissingToolException ex)
        {
            throw new ScanSourceException(ex.Message, ex);
        }

        var table = await ReadVolumeSystemAsync(cancellationToken).ConfigureAwait(false);
        List<long> starts = table is not null && table.Entries.Any(e => e.IsPartition) ? [.. table.Entries.Where(e => e.IsPartition).Select(e => e.Start * table.SectorSize)] : [0];
        var parts = new List<DiskImagePart>();
        for (var volume = 0; volume < starts.Count; volume++)
        {
            var files = await ListFileSizesAsync(starts[volume], cancellationToken).ConfigureAwait(false);
            parts.AddRange(CutFiles(volume, files, fileRangeBytes, filesPerPart));
        }

        if (!ReadsUnallocated && !_options.ScanWholeImage)
        {
            return parts;
        }

        // Cut only where a page starts: a part's free runs then start (for blkls over the part's blocks) where the
        // whole enumeration's pages do, so its pages have the same offsets and lengths.
        var pages = new PageStarts();
        var all = new DiskImageSource(ImagePath, _options with { Part = DiskImagePart.Pages(0, long.MaxValue), LogicalName = null, HashImage = false, VerifyEwf = false });
        await all.EnumerateAsync(pages, cancellationToken).ConfigureAwait(false);
        long from = 0, bytes = 0;
        foreach (var start in pages.Starts.Order())
        {
            if (bytes >= pageRangeBytes)
            {
                parts.Add(DiskImagePart.Pages(from, start));
                (from, bytes) = (start, 0);
            }

            bytes += RawPages.PageSize;
        }

        parts.Add(DiskImagePart.Pages(from, long.MaxValue));
        return parts;
    }

    /// <summary>
    /// The item paths after the volume's label (<see cref="DiskImagePart.FilesFrom"/>) and listed sizes of the files
    /// of the file system at <paramref name="start"/>, as <c>fls -r</c> lists them; none when there is no file system
    /// there, as many as were listed when the listing fails (the part that lists them again records the failure).
    /// </summary>
    private async Task<List<(string Path, long Size)>> ListFileSizesAsync(long start, CancellationToken cancellationToken)
    {
        var sectorOffset = (start / 512).ToString(CultureInfo.InvariantCulture);
        var fsstat = await _tools.RunAsync("fsstat", ["-t", "-o", sectorOffset, .. _probe.Segments], cancellationToken).ConfigureAwait(false);
        var files = new List<(string, long)>();
        if (fsstat.ExitCode != 0)
        {
            return files;
        }

        try
        {
            await foreach (var entry in ListAsync(fsstat.StdOut.Trim(), sectorOffset, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Type is not ('d' or 'v' or 'V'))
                {
                    files.Add((FileKey(entry), Math.Max(0, entry.Size ?? 0)));
                }
            }
        }
        catch (ToolFailedException)
        {
            // Cut what was listed; the parts' own listings record the failure.
        }

        return files;
    }

    /// <summary>
    /// Cuts a volume's files (<see cref="ListFileSizesAsync"/>) into ranges of paths in ordinal order: a range ends
    /// once it holds <paramref name="bytes"/> of file sizes or <paramref name="count"/> entries, at the next entry in
    /// another directory (so a directory's files stay together and a subtree, a range of paths by itself, stays whole
    /// when it is small), or inside a directory that alone holds twice that (a batch of its names).
    /// </summary>
    private static IEnumerable<DiskImagePart> CutFiles(int volume, List<(string Path, long Size)> files, long bytes, int count)
    {
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        static string Parent(string path) => path[..Math.Max(0, path.LastIndexOf('/'))];
        string? from = null;
        long held = 0;
        var entries = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var full = held >= bytes || entries >= count;
            var over = held >= 2 * bytes || entries >= 2 * count;
            if (i > 0 && files[i].Path != files[i - 1].Path && ((full && Parent(files[i].Path) != Parent(files[i - 1].Path)) || over))
            {
                yield return DiskImagePart.Files(volume, from, files[i].Path);
                (from, held, entries) = (files[i].Path, 0, 0);
            }

            held += files[i].Size;
            entries++;
        }

        yield return DiskImagePart.Files(volume, from, null);
    }

    /// <summary>
    /// For a scan of the image in parts (<see cref="ForPart"/>, which do not hash): hashes the image files now, as a
    /// whole enumeration does before it reads (<c>image.sha256.before</c>, <c>image.bytes</c>); the first
    /// <see cref="GetFacts"/> after it hashes them again (<c>image.sha256.after</c>, <c>image.unchanged</c>). Call it
    /// before the first part is read and <see cref="GetFacts"/> once the last part has been read. Does nothing when
    /// <see cref="DiskImageOptions.HashImage"/> is off.
    /// </summary>
    public async Task HashBeforeAsync(CancellationToken cancellationToken)
    {
        if (!_options.HashImage)
        {
            return;
        }

        var before = await FileSnapshot.TakeAsync(_probe.Segments, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            (_before, _afterDone) = (before, false);
        }

        SetFact("image.sha256.before", before.Sha256);
        SetFact("image.bytes", before.Length.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The facts of a whole enumeration from the facts of its parts (<see cref="PlanPartsAsync"/>, in plan order):
    /// item and page counts are added up, the partitions and unlisted volumes listed in order, the rest (the same in
    /// every part, or given by one part: the hashes) taken as they are.
    /// </summary>
    public static IReadOnlyDictionary<string, string> MergePartFacts(IEnumerable<IReadOnlyDictionary<string, string>> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var facts in parts)
        {
            foreach (var (key, value) in facts)
            {
                var name = key[(key.LastIndexOf('/') + 1)..];
                if (!merged.TryGetValue(key, out var earlier))
                {
                    merged[key] = value;
                }
                else if (name.StartsWith("image.items.", StringComparison.Ordinal) || name.StartsWith("image.raw.", StringComparison.Ordinal)
                    || name is "image.slack.items" or "image.slack.bytes" or "image.slack.empty")
                {
                    merged[key] = (long.Parse(earlier, CultureInfo.InvariantCulture) + long.Parse(value, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
                }
                else if (name is "image.partitions" or "image.unlisted")
                {
                    merged[key] = earlier + "; " + value;
                }
                else if (name == "image.unchanged")
                {
                    merged[key] = earlier == "true" && value == "true" ? "true" : "false";
                }
            }
        }

        return merged;
    }

    /// <summary>
    /// Facts for <c>summary.json</c>: <c>image.path</c>, <c>image.type</c>, <c>image.segments</c>, <c>image.bytes</c>,
    /// <c>image.size</c>, <c>image.sha256.before</c>, <c>image.sha256.after</c>, <c>image.unchanged</c>
    /// (<c>true</c>/<c>false</c>), <c>tsk.version</c>, <c>image.volumeSystem</c>, <c>image.partitions</c> and item
    /// counts; <c>image.unlisted</c> names the volumes without a file system The Sleuth Kit lists (read as raw
    /// pages); for E01 also <c>image.ewf.md5</c> (stored at acquisition), <c>image.ewf.md5.calculated</c> and
    /// <c>image.ewf.verify</c> (see <see cref="DiskImageOptions.VerifyEwf"/>). The first call after enumeration hashes the image again.
    /// </summary>
    public IReadOnlyDictionary<string, string> GetFacts()
    {
        lock (_lock)
        {
            if (_before is not null && !_afterDone)
            {
                _afterDone = true;
                var after = FileSnapshot.TakeAsync(_probe.Segments, CancellationToken.None).GetAwaiter().GetResult();
                _facts[Key("image.sha256.after")] = after.Sha256;
                _facts[Key("image.unchanged")] = (after.Sha256 == _before.Sha256 && after.Length == _before.Length
                    && after.LastWriteUtc == _before.LastWriteUtc) ? "true" : "false";
            }

            return new SortedDictionary<string, string>(_facts, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Names the file a byte of the image belongs to, when The Sleuth Kit can tell (<c>ifind -d</c> then
    /// <c>ffind</c>): e.g. <c>p1 inode 13 /gone.txt (deleted)</c>, or <c>p1 data unit 1331, no file</c>.
    /// Null when the offset is outside every file system. Usable once <see cref="EnumerateAsync"/> has reached the
    /// offset's partition (the raw pages it emits carry it as <see cref="ScanItem.LocateOffset"/>). Answers are
    /// cached per data unit; thread-safe.
    /// </summary>
    public Task<string?> LocateAsync(long imageOffset, CancellationToken cancellationToken)
    {
        Volume? volume;
        lock (_lock)
        {
            volume = _volumes.Find(v => v.FileSystem is not null && imageOffset >= v.Start && imageOffset < v.Start + v.Length);
            if (volume is null)
            {
                return Task.FromResult<string?>(null);
            }

            // One lookup per data unit: findings close together share it (and ifind scans the whole inode table).
            var key = (volume.Label, (imageOffset - volume.Start) / volume.UnitSize);
            if (!_located.TryGetValue(key, out var task) || task.IsFaulted || task.IsCanceled)
            {
                _located[key] = task = LocateUnitAsync(volume, key.Item2, cancellationToken);
            }

            return task;
        }
    }

    private async Task<string?> LocateUnitAsync(Volume volume, long unit, CancellationToken cancellationToken)
    {
        var ifind = await _tools.RunAsync("ifind", ["-f", volume.FileSystem!, "-o", volume.SectorOffset, "-d", unit.ToString(CultureInfo.InvariantCulture), .. _probe.Segments], cancellationToken).ConfigureAwait(false);
        var inode = ifind.StdOut.Trim();
        if (ifind.ExitCode != 0 || inode.Length == 0 || !char.IsAsciiDigit(inode[0]))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{volume.Label} data unit {unit}, no file");
        }

        var ffind = await _tools.RunAsync("ffind", ["-f", volume.FileSystem!, "-o", volume.SectorOffset, .. _probe.Segments, inode], cancellationToken).ConfigureAwait(false);
        var name = ffind.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (ffind.ExitCode != 0 || name is null || name.StartsWith("File name not found", StringComparison.Ordinal))
        {
            return $"{volume.Label} inode {inode} (no name)";
        }

        var deleted = name.StartsWith("* ", StringComparison.Ordinal);
        return $"{volume.Label} inode {inode} {(deleted ? name[2..] + " (deleted)" : name)}";
    }

    /// <summary>
    /// Runs <c>ewfverify</c> over the set and records <c>image.ewf.verify</c>: <c>success</c>, <c>failure: …</c> with
    /// the damaged sectors and segment files it names and whether the MD5 matched, or <c>not run: …</c>.
    /// </summary>
    private async Task VerifyEwfAsync(CancellationToken cancellationToken)
    {
        if (!_tools.Exists("ewfverify"))
        {
            SetFact("image.ewf.verify", "not run: install the Debian package `ewf-tools` (ewfverify)");
            return;
        }

        var run = await _tools.RunAsync("ewfverify", ["-q", .. _probe.Segments], cancellationToken).ConfigureAwait(false);
        var report = TskParsers.ParseEwfverify(run.StdOut + "\n" + run.StdErr);
        if (report.CalculatedMd5 is { } md5)
        {
            SetFact("image.ewf.md5.calculated", md5);
        }

        SetFact("image.ewf.verify", run.ExitCode == 0 && report.Success ? "success" : "failure: " + report.Problem);
    }

    private void SetFact(string key, string value)
    {
        lock (_lock)
        {
            _facts[Key(key)] = value;
        }
    }

    /// <summary>A fact's key: prefixed with the image's logical name when it is one of several roots.</summary>
    private string Key(string fact) => _options.LogicalName is { } name ? name + "/" + fact : fact;

    /// <summary>Unallocated space is read as raw pages of its own (not covered by whole-image pages).</summary>
    private bool ReadsUnallocated => _options.ScanUnallocated && !_options.ScanWholeImage;

    /// <summary>The image's partition table as <c>mmls</c> lists it, or null when it has none (or mmls fails).</summary>
    private async Task<MmlsTable?> ReadVolumeSystemAsync(CancellationToken cancellationToken)
    {
        var mmls = await _tools.RunAsync("mmls", [.. _probe.Segments], cancellationToken).ConfigureAwait(false);
        return mmls.ExitCode == 0 ? TskParsers.ParseMmls(mmls.StdOut) : null;
    }

    private static string Describe(Volume volume, string what)
        => string.Create(CultureInfo.InvariantCulture,
            $"{volume.Label}: offset {volume.Start} length {volume.Length} {what} fs={volume.FileSystem ?? "none"}");

    private async Task<long> GetImageSizeAsync(CancellationToken cancellationToken)
    {
        if (_probe.Kind is DiskImageKind.Raw or DiskImageKind.SplitRaw)
        {
            return _probe.Segments.Sum(s => new FileInfo(s).Length);
        }

        var stat = await _tools.RunAsync("img_stat", [.. _probe.Segments], cancellationToken).ConfigureAwait(false);
        if (stat.ExitCode != 0)
        {
            throw new ToolFailedException("img_stat", stat.ExitCode, stat.StdErr);
        }

        long? size = null;
        foreach (var line in stat.StdOut.Split('\n'))
        {
            // raw: "Size in bytes: N"; ewf: "Size of data in bytes: N" and "MD5 hash of data: …" (stored at acquisition)
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key is "Size in bytes" or "Size of data in bytes" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                size = bytes;
            }
            else if (key is "MD5 hash of data" or "SHA1 hash of data" && value.Length > 0)
            {
                SetFact("image.ewf." + key[..key.IndexOf(' ', StringComparison.Ordinal)].ToLowerInvariant(), value);
            }
        }

        return size ?? throw new IOException("img_stat did not report the image size.");
    }

    private async Task<Volume> OpenVolumeAsync(int index, string label, string? partition, long start, long length, CancellationToken cancellationToken)
    {
        var sectorOffset = (start / 512).ToString(CultureInfo.InvariantCulture);
        var fsstat = await _tools.RunAsync("fsstat", ["-t", "-o", sectorOffset, .. _probe.Segments], cancellationToken).ConfigureAwait(false);
        string? fileSystem = fsstat.ExitCode == 0 ? fsstat.StdOut.Trim() : null;
        var unitSize = 512;
        TskFileSystem? tsk = null;
        if (fileSystem is not null && _image is not null)
        {
            try
            {
                tsk = _image.OpenFileSystem(start, fileSystem);
                unitSize = (int)tsk.BlockSize;
            }
            catch (ToolFailedException ex)
            {
                // fsstat saw a file system that the library does not open: this volume's files go through icat.
                SetFact("image.contents." + label, "icat per file: " + ex.Reason);
            }
        }

        if (fileSystem is not null && tsk is null)
        {
            var stats = await _tools.RunAsync("blkcat", ["-s", "-o", sectorOffset, .. _probe.Segments], cancellationToken).ConfigureAwait(false);
            var colon = stats.StdOut.IndexOf(':', StringComparison.Ordinal);
            if (stats.ExitCode == 0 && colon > 0 && int.TryParse(stats.StdOut.AsSpan(0, colon).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0)
            {
                unitSize = size;
            }
        }

        var volume = new Volume(index, label, partition, start, length, sectorOffset, fileSystem, unitSize, tsk);
        lock (_lock)
        {
            _volumes.Add(volume);
        }

        return volume;
    }

    /// <summary>The volume's items: its files (unless <paramref name="part"/> is another volume's or pages), then its raw pages (those in <paramref name="part"/>).</summary>
    private async Task EnumerateVolumeAsync(Volume volume, DiskImagePart? part, ItemWriter output, CancellationToken cancellationToken)
    {
        var files = part is null || part.HasFiles(volume.Index);
        if (volume.FileSystem is null)
        {
            // Marked in files.jsonl (and counted skipped in the summary) whether or not its bytes are read as pages.
            var content = volume.Partition is null && Content is var c and not ("unknown" or "mbr" or "gpt") ? $" (content: {c})" : string.Empty;
            var pages = _options.ScanUnallocated && !_options.ScanWholeImage;
            var read = pages ? $"its bytes are read as raw pages {volume.Label}/$raw/…"
                : _options.ScanWholeImage ? "its bytes are read in the whole-image pages $image/…"
                : "its bytes are not read (unallocated space is not scanned)";
            if (part is null || part.IsFirstOf(volume.Index))
            {
                _skipped++;
                _unlisted.Add(volume.Label + content);
                await output.WriteAsync(new ScanItem(volume.Label, volume.Length, null)
                {
                    SkipReason = $"no file system The Sleuth Kit lists here{content}: {read}",
                    Origin = new ItemOrigin { Partition = volume.Partition, ImageOffset = volume.Start },
                }, cancellationToken).ConfigureAwait(false);
            }

            if (pages)
            {
                await WritePagesAsync(output, volume.Label + "/$raw", volume.Partition, volume.Start, volume.Length, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (files)
        {
            await ListFilesAsync(volume, part, output, cancellationToken).ConfigureAwait(false);
        }

        if (ReadsUnallocated)
        {
            await WriteUnallocatedAsync(volume, output, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The entries of a file system as <c>fls -r -p</c> lists them (deleted ones unless they are left out).</summary>
    private async IAsyncEnumerable<FlsEntry> ListAsync(string fileSystem, string sectorOffset, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<string> fls = ["-r", "-p", "-l", "-z", "UTC", "-f", fileSystem, "-o", sectorOffset];
        if (!_options.IncludeDeleted)
        {
            fls.Add("-u");
        }

        fls.AddRange(_probe.Segments);
        await foreach (var line in _tools.ReadLinesAsync("fls", fls, cancellationToken).ConfigureAwait(false))
        {
            if (TskParsers.ParseFls(line, longFormat: true) is { } entry)
            {
                yield return entry;
            }
        }
    }

    /// <summary>An entry's item path after the volume's label: the escaped path, and a deleted entry's address.</summary>
    private static string FileKey(FlsEntry entry) => DiskImageProbe.EscapeName(entry.Path) + (entry.Deleted ? "#" + entry.Address : string.Empty);

    /// <summary>The volume's files (those of <paramref name="part"/>'s range of paths), each followed by its slack.</summary>
    private async Task ListFilesAsync(Volume volume, DiskImagePart? part, ItemWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var entry in ListAsync(volume.FileSystem!, volume.SectorOffset, cancellationToken).ConfigureAwait(false))
            {
                if ((part is null || part.HasFile(FileKey(entry))) && ToItem(volume, entry) is { } item)
                {
                    await output.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                    if (item.Open is not null && !entry.Deleted && volume.Tsk is { } fs)
                    {
                        foreach (var slack in SlackItems(fs, item, entry))
                        {
                            await output.WriteAsync(slack, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
        }
        catch (ToolFailedException ex)
        {
            // Whatever was listed stays; the failure itself is recorded against the partition (once: by its first part).
            if (part is null || part.IsFirstOf(volume.Index))
            {
                _skipped++;
                await output.WriteAsync(new ScanItem(volume.Label + "/$fls-error", null, null)
                {
                    SkipReason = "file listing incomplete: " + ex.Reason,
                    Origin = new ItemOrigin { Partition = volume.Partition },
                }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ScanItem? ToItem(Volume volume, FlsEntry entry)
    {
        var type = entry.Type;
        if (type is 'd' or 'v' or 'V')
        {
            return null; // directories and TSK's virtual files ($MBR, $FAT1, $OrphanFiles) are not items
        }

        var path = volume.Label + "/" + FileKey(entry);
        var origin = new ItemOrigin { Partition = volume.Partition, Inode = entry.Address, Deleted = entry.Deleted };
        string? skip = null;
        if (type != 'r')
        {
            skip = type switch
            {
                'l' => "symbolic link (not followed)",
                'c' or 'b' => "device file",
                'p' => "named pipe",
                's' => "socket",
                _ => $"not a regular file (type {type})",
            };
        }
        else if (entry.Reallocated)
        {
            skip = "deleted name whose metadata now belongs to another file (that file is scanned under its own name)";
        }
        else if (entry.Deleted && entry.Inode == 0)
        {
            skip = "deleted name without a metadata address (content not recoverable by address)";
        }
        else if (entry.Path.Equals("$BadClus:$Bad", StringComparison.Ordinal))
        {
            skip = "NTFS bad-cluster map (sparse stream the size of the volume)";
        }

        if (entry.Deleted)
        {
            _deleted++;
        }

        if (skip is not null)
        {
            _skipped++;
            return new ScanItem(path, entry.Size, null) { SkipReason = skip, Origin = origin, Modified = entry.Modified };
        }

        _files++;
        if (volume.Tsk is { } fs)
        {
            var address = entry.Address;
            return new ScanItem(path, entry.Size, _ => fs.OpenStream(address))
            {
                Origin = origin,
                Modified = entry.Modified,
            };
        }

        // -f skips The Sleuth Kit's file-system detection, a good part of each icat's start-up.
        List<string> icat = ["-f", volume.FileSystem!, "-o", volume.SectorOffset];
        if (entry.Deleted)
        {
            icat.Add("-r");
        }

        icat.AddRange(_probe.Segments);
        icat.Add(entry.Address);
        var tools = _tools;
        return new ScanItem(path, entry.Size, _ => tools.OpenStream("icat", icat))
        {
            Origin = origin,
            Modified = entry.Modified,
        };
    }

    /// <summary>
    /// Loads libtsk and opens the image with it, so that file contents are read in-process; records which path
    /// reads them (<c>image.contents</c>) and whether file slack is read (<c>image.slack</c>).
    /// </summary>
    private void OpenLibrary()
    {
        string why;
        if (_options.ReadWithTools)
        {
            why = "the command-line tools were asked for";
        }
        else if (LibTsk.Instance is not { } library)
        {
            why = LibTsk.LoadFailure ?? "libtsk could not be loaded";
        }
        else
        {
            try
            {
                _image = TskImage.Open(library, _probe.Segments);
                SetFact("image.contents", $"libtsk {library.Version} in-process ({library.LibraryName})");
                SetFact("image.slack", "read");
                return;
            }
            catch (ToolFailedException ex)
            {
                why = ex.Reason;
            }
        }

        SetFact("image.contents", "icat per file (" + why + ")");
        SetFact("image.slack", "not read: file slack is read through libtsk (" + why + ")");
    }

    /// <summary>
    /// The slack of an allocated file (the bytes after its end in the data units it owns), as raw items
    /// <c>path#slack</c> (<c>#slack-2</c>… for further runs) with their image offset. Slack that is all zeros gives
    /// no item (counted in <c>image.slack.empty</c>); slack that cannot be worked out gives a skipped item.
    /// </summary>
    private IEnumerable<ScanItem> SlackItems(TskFileSystem fs, ScanItem file, FlsEntry entry)
    {
        List<(long Offset, long Length)> ranges;
        var origin = new ItemOrigin { Partition = file.Origin?.Partition, Inode = entry.Address };
        try
        {
            using var opened = fs.OpenFile(entry.Address);
            ranges = fs.Slack(opened);
            ranges.RemoveAll(r => IsZero(fs.Image, r.Offset, r.Length));
        }
        catch (ToolFailedException ex)
        {
            _skipped++;
            return [new ScanItem(file.Path + "#slack", null, null) { SkipReason = "file slack not read: " + ex.Reason, Origin = origin }];
        }

        if (ranges.Count == 0)
        {
            _slackEmpty++;
            return [];
        }

        var image = fs.Image;
        var items = new List<ScanItem>(ranges.Count);
        for (var i = 0; i < ranges.Count; i++)
        {
            var (offset, length) = ranges[i];
            _slackItems++;
            _slackBytes += length;
            var suffix = i == 0 ? "#slack" : string.Create(CultureInfo.InvariantCulture, $"#slack-{i + 1}");
            items.Add(new ScanItem(file.Path + suffix, length, _ => image.OpenRange(offset, length))
            {
                ExtractorHint = "raw",
                Origin = origin with { ImageOffset = offset },
                Modified = file.Modified,
            });
        }

        return items;
    }

    /// <summary>True when the range holds only zeros; a range over 1 MiB (preallocated NTFS clusters) is not checked and counts as not zero.</summary>
    private static bool IsZero(TskImage image, long offset, long length)
    {
        if (length > 1 << 20)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[4096];
        for (long done = 0; done < length;)
        {
            var n = image.Read(offset + done, buffer[..(int)Math.Min(buffer.Length, length - done)]);
            if (n <= 0)
            {
                return true;
            }

            if (buffer[..n].ContainsAnyExcept((byte)0))
            {
                return false;
            }

            done += n;
        }

        return true;
    }

    private async Task WriteUnallocatedAsync(Volume volume, ItemWriter output, CancellationToken cancellationToken)
    {
        var part = _options.Part;
        if (part is not null && !part.HasPages(volume.Start, volume.Length))
        {
            return;
        }

        List<string> blkls = ["-l", "-f", volume.FileSystem!, "-o", volume.SectorOffset, .. _probe.Segments];
        if (part is not null)
        {
            // Only the part's blocks, and past its end as far as its last page reaches (blkls stops at the file
            // system's last block). A part starts where a page starts (PlanPartsAsync): on a block boundary.
            var from = Math.Max(part.PagesFrom, volume.Start) - volume.Start;
            var first = from % volume.UnitSize == 0 ? from / volume.UnitSize : 0;
            var last = part.PagesTo - volume.Start >= volume.Length ? volume.Length / volume.UnitSize
                : ((part.PagesTo - volume.Start + RawPages.PageSize + RawPages.PageOverlap) / volume.UnitSize) + 1;
            blkls.Add(string.Create(CultureInfo.InvariantCulture, $"{first}-{last}"));
        }

        try
        {
            var lines = _tools.ReadLinesAsync("blkls", blkls, cancellationToken);
            await foreach (var (first, count) in TskParsers.ParseFreeRangesAsync(lines).ConfigureAwait(false))
            {
                var start = volume.Start + (first * volume.UnitSize);
                if (part is not null && start >= part.PagesTo)
                {
                    break; // the free runs come in order: the rest are other parts' (stops blkls)
                }

                var length = Math.Min(count * volume.UnitSize, volume.Start + volume.Length - start);
                await WritePagesAsync(output, volume.Label + "/$unallocated", volume.Partition, start, length, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ToolFailedException ex) when (part is null || part.HasPage(volume.Start))
        {
            // Recorded once: by the part whose range holds the volume's first byte.
            _skipped++;
            await output.WriteAsync(new ScanItem(volume.Label + "/$unallocated", null, null)
            {
                SkipReason = "unallocated space not listed: " + ex.Reason,
                Origin = new ItemOrigin { Partition = volume.Partition },
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <c>[start, start + length)</c> of the image as raw pages (see the raw extractor).</summary>
    private async Task WritePagesAsync(ItemWriter output, string prefix, string? partition, long start, long length, CancellationToken cancellationToken)
    {
        // Pages of a file system's unallocated space, and whole-image pages, can be mapped back to a file.
        Func<long, CancellationToken, Task<string?>>? locate =
            _options.LocateOwners && (prefix.EndsWith("/$unallocated", StringComparison.Ordinal) || prefix == "$image") ? LocateAsync : null;
        var part = _options.Part;
        for (long position = 0; position < length; position += RawPages.PageSize)
        {
            var pageStart = start + position;
            if (part is not null && !part.HasPage(pageStart))
            {
                continue;
            }

            var pageLength = Math.Min(RawPages.PageSize + RawPages.PageOverlap, length - position);
            _rawPages++;
            _rawBytes += Math.Min(RawPages.PageSize, pageLength);
            var path = string.Create(CultureInfo.InvariantCulture, $"{prefix}/{pageStart:D15}");
            await output.WriteAsync(new ScanItem(path, pageLength, _ => OpenRange(pageStart, pageLength))
            {
                ExtractorHint = "raw",
                LocateOffset = locate,
                Origin = new ItemOrigin { Partition = partition, ImageOffset = pageStart },
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens bytes of the image: directly for a single-file raw image, else through libtsk's image readers, else (the
    /// fallback when libtsk cannot be loaded) through <c>img_cat</c>.
    /// </summary>
    private Stream OpenRange(long start, long length)
    {
        if (_probe.Kind == DiskImageKind.Raw)
        {
            return WindowStream.OpenFile(ImagePath, start, length);
        }

        if (_image is { } image)
        {
            return image.OpenRange(start, length);
        }

        var firstSector = start / 512;
        var skip = start % 512;
        var lastSector = (start + length - 1) / 512;
        List<string> arguments = [];
        if (firstSector > 0)
        {
            // img_cat rejects -s 0; leaving it out starts at sector 0.
            arguments.AddRange(["-s", firstSector.ToString(CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(["-e", lastSector.ToString(CultureInfo.InvariantCulture)]);
        arguments.AddRange(_probe.Segments);
        var stream = _tools.OpenStream("img_cat", arguments, skip + length);
        if (skip > 0)
        {
            Span<byte> discard = stackalloc byte[512];
            stream.ReadExactly(discard[..(int)skip]);
        }

        return stream;
    }

    /// <summary>A partition (or the whole image); <paramref name="Tsk"/> is its file system opened by libtsk, when it could be.</summary>
    private sealed record Volume(int Index, string Label, string? Partition, long Start, long Length, string SectorOffset, string? FileSystem, int UnitSize, TskFileSystem? Tsk);

    /// <summary>Collects the image offsets at which raw pages start.</summary>
    private sealed class PageStarts : ItemWriter
    {
        public List<long> Starts { get; } = [];

        public override ValueTask WriteAsync(ScanItem item, CancellationToken cancellationToken)
        {
            if (item.ExtractorHint == "raw" && item.Open is not null && item.Origin?.ImageOffset is { } start)
            {
                Starts.Add(start);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Puts the image's logical name before every item's path.</summary>
    private sealed class PrefixWriter(ItemWriter inner, string prefix) : ItemWriter
    {
        public override ValueTask WriteAsync(ScanItem item, CancellationToken cancellationToken)
            => inner.WriteAsync(item with { Path = prefix + item.Path }, cancellationToken);
    }

    /// <summary>Hash, total length and newest write time of the image files.</summary>
    private sealed record FileSnapshot(string Sha256, long Length, DateTime LastWriteUtc)
    {
        public static async Task<FileSnapshot> TakeAsync(IReadOnlyList<string> segments, CancellationToken cancellationToken)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 20];
            long total = 0;
            var newest = DateTime.MinValue;
            foreach (var segment in segments)
            {
                var file = new FileStream(segment, new FileStreamOptions
                {
                    Mode = FileMode.Open,
                    Access = FileAccess.Read,
                    Share = FileShare.Read,
                    Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
                    BufferSize = 0,
                });
                await using (file.ConfigureAwait(false))
                {
                    int read;
                    while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        total += read;
                    }
                }

                var written = File.GetLastWriteTimeUtc(segment);
                newest = written > newest ? written : newest;
            }

            return new FileSnapshot(Convert.ToHexStringLower(hash.GetHashAndReset()), total, newest);
        }
    }
}
