using WgStream.GrainInterfaces.Common;

namespace WgStream.Gateways.Media;

/// <summary>Bound from the <c>Media</c> section: where processed images go and what uploads are accepted.</summary>
public sealed class MediaOptions : ICheckedOptions
{
    public const string Section = "Media";

    /// <summary><c>Local</c> writes files under <see cref="LocalDirectory"/>; <c>S3</c> puts objects into an S3-compatible bucket (<see cref="S3"/>).</summary>
    public string Store { get; set; } = "Local";

    /// <summary>For the <c>Local</c> store: the directory files are written to (relative to the working directory unless rooted).</summary>
    public string LocalDirectory { get; set; } = "var/media";

    /// <summary>For the <c>Local</c> store: URLs handed out are <c>{PublicBaseUrl}/{key}</c>.</summary>
    public string PublicBaseUrl { get; set; } = "/media";

    /// <summary>Uploads larger than this are refused before anything is decoded.</summary>
    public long MaxUploadBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Decompression-bomb guard: an image whose header declares more pixels (width × height) is refused before its pixels are decoded.</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>
    /// Node-wide budget for the pixel memory of decodes in flight (the decoded bitmap, its mipmaps and the
    /// output surfaces), so that a burst of uploads and stream thumbnails cannot run the process out of
    /// memory. 256 MiB holds about twenty 12-megapixel JPEG photos decoded for a 1280×720 target (13 MB
    /// each), or one image at the full <see cref="MaxPixels"/> (213 MB with its mipmaps when it cannot be
    /// decoded smaller, as PNG and GIF cannot). An image that needs more than the whole budget runs alone.
    /// </summary>
    public long DecodeBudgetBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Decodes and re-encodes running at once on this node: they are CPU-bound, so more than the cores only queues in the thread pool.</summary>
    public int MaxConcurrentDecodes { get; set; } = Environment.ProcessorCount;

    /// <summary>How long a decode waits for a slot and its budget before it is refused with <c>BUSY</c> (a retryable 503 for uploads).</summary>
    public TimeSpan DecodeWaitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public S3StoreOptions S3 { get; set; } = new();

    public sealed class S3StoreOptions
    {
        /// <summary>The endpoint, e.g. <c>http://127.0.0.1:4569</c> or <c>https://s3.eu-central-1.amazonaws.com</c>.</summary>
        public string? ServiceUrl { get; set; }

        /// <summary>The bucket's region.</summary>
        public string Region { get; set; } = "us-east-1";

        /// <summary>The bucket media is stored in.</summary>
        public string Bucket { get; set; } = "wg-media";

        /// <summary>With <see cref="SecretKey"/>; when either is missing the SDK's default credential chain (environment, instance role…) is used.</summary>
        public string? AccessKey { get; set; }

        /// <summary>Secret access key (never logged).</summary>
        public string? SecretKey { get; set; }

        /// <summary>Path-style addressing (<c>{ServiceUrl}/{Bucket}/{key}</c>), which S3-compatible servers need.</summary>
        public bool ForcePathStyle { get; set; } = true;

        /// <summary>Where objects are read publicly (a CDN, say). When null: <c>{ServiceUrl}/{Bucket}</c>.</summary>
        public string? PublicBaseUrl { get; set; }

        internal string EffectivePublicBaseUrl =>
            (PublicBaseUrl ?? $"{ServiceUrl?.TrimEnd('/')}/{Bucket}").TrimEnd('/');
    }

    public bool UsesS3 => string.Equals(Store, "S3", StringComparison.OrdinalIgnoreCase);

    internal bool UsesLocal => string.Equals(Store, "Local", StringComparison.OrdinalIgnoreCase);

    /// <summary>Configuration mistakes, reported at start rather than at the first upload.</summary>
    public IEnumerable<string> Problems()
    {
        if (!UsesS3 && !UsesLocal)
        {
            yield return $"Media:Store must be \"Local\" or \"S3\", not \"{Store}\".";
        }

        if (MaxUploadBytes <= 0)
        {
            yield return "Media:MaxUploadBytes must be positive.";
        }

        if (MaxPixels <= 0)
        {
            yield return "Media:MaxPixels must be positive.";
        }

        if (DecodeBudgetBytes <= 0)
        {
            yield return "Media:DecodeBudgetBytes must be positive.";
        }

        if (MaxConcurrentDecodes <= 0)
        {
            yield return "Media:MaxConcurrentDecodes must be positive.";
        }

        if (DecodeWaitTimeout < TimeSpan.Zero)
        {
            yield return "Media:DecodeWaitTimeout must not be negative.";
        }

        if (UsesLocal && string.IsNullOrWhiteSpace(LocalDirectory))
        {
            yield return "Media:LocalDirectory is required for the Local store.";
        }

        if (UsesS3)
        {
            if (!Uri.TryCreate(S3.ServiceUrl, UriKind.Absolute, out _))
            {
                yield return "Media:S3:ServiceUrl must be an absolute URL for the S3 store.";
            }

            if (string.IsNullOrWhiteSpace(S3.Bucket))
            {
                yield return "Media:S3:Bucket is required for the S3 store.";
            }
        }
    }
}
