namespace WgStream.Grains.Channels;

/// <summary>Bound from the <c>Directory</c> section: how the hottest directory reads are shared.</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary>
    /// How long a read of the live directory (and the category counts) is served to other callers
    /// on the same node. Writes made on the same node are seen at once; writes on other silos of a
    /// cluster within this time. Zero reads PostgreSQL every time.
    /// </summary>
    public TimeSpan SharedReadDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many distinct reads (category, page size, cursor) are kept at once; more are read and not kept.</summary>
    public int SharedReads { get; set; } = 1024;
}
