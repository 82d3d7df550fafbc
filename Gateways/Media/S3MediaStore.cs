using System.Net;
using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WgStream.Gateways.Media;

/// <summary>
/// Objects in an S3-compatible bucket (AWS, MinIO, s3rver…). The bucket is created on first use if it is
/// missing. Reads are public through <see cref="MediaOptions.S3StoreOptions.PublicBaseUrl"/>: granting that
/// (a bucket policy, a CDN) is the operator's job, since ACLs are disabled on new AWS buckets.
/// </summary>
public sealed class S3MediaStore : IMediaStore, IDisposable
{
    /// <summary>Keys are content-unique, so an object never changes and may be cached for good.</summary>
    internal const string CacheControl = "public, max-age=31536000, immutable";

    private readonly MediaOptions.S3StoreOptions options;
    private readonly IAmazonS3 client;
    private readonly ILogger<S3MediaStore> logger;
    private readonly SemaphoreSlim bucketLock = new(1, 1);
    private volatile bool bucketReady;

    public S3MediaStore(IOptions<MediaOptions> options, ILogger<S3MediaStore> logger)
    {
        this.options = options.Value.S3;
        this.logger = logger;
        var config = new AmazonS3Config
        {
            ServiceURL = this.options.ServiceUrl,
            ForcePathStyle = this.options.ForcePathStyle,
            AuthenticationRegion = this.options.Region,

            // The v4 SDK computes CRC checksums on every request by default; only where S3 requires one
            // keeps us compatible with S3-compatible servers that reject or mishandle them.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        client = string.IsNullOrEmpty(this.options.AccessKey) || string.IsNullOrEmpty(this.options.SecretKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(this.options.AccessKey, this.options.SecretKey), config);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken ct = default)
    {
        MediaKeys.Validate(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        await EnsureBucketAsync(ct);

        var bytes = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        using var body = bytes;
        var request = new PutObjectRequest
        {
            BucketName = options.Bucket,
            Key = key,
            InputStream = body,
            AutoCloseStream = false,
            ContentType = contentType,

            // A plain body with a Content-Length: servers that do not speak aws-chunked (s3rver among
            // them) would otherwise store the chunk signatures as part of the object. Our objects are
            // small and already in memory, so streaming buys nothing.
            UseChunkEncoding = false,
        };
        request.Headers.CacheControl = CacheControl;
        await client.PutObjectAsync(request, ct);
    }

    public async Task<bool> CopyToAsync(string key, Stream destination, CancellationToken ct = default)
    {
        MediaKeys.Validate(key);
        await EnsureBucketAsync(ct);
        GetObjectResponse response;
        try
        {
            response = await client.GetObjectAsync(options.Bucket, key, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode == "NoSuchKey")
        {
            return false;
        }

        using (response)
        {
            await response.ResponseStream.CopyToAsync(destination, ct);
        }

        return true;
    }

    public async Task DeleteAsync(string key, CancellationToken ct = default)
    {
        MediaKeys.Validate(key);
        await EnsureBucketAsync(ct);
        await client.DeleteObjectAsync(options.Bucket, key, ct);
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken ct = default)
    {
        MediaKeys.Validate(prefix);
        await EnsureBucketAsync(ct);
        // ListObjects (v1) paged by Marker: S3 pages it just as v2, and s3rver, which the tests run,
        // fails on OpenSSL 3 whenever it has to make a v2 continuation token (it encrypts them with DES).
        var request = new ListObjectsRequest { BucketName = options.Bucket, Prefix = prefix + "/" };
        ListObjectsResponse page;
        do
        {
            page = await client.ListObjectsAsync(request, ct);
            var keys = page.S3Objects ?? [];
            if (keys.Count == 0)
            {
                break;
            }

            // One request per listed page (up to 1,000 keys), not one per object.
            await client.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = options.Bucket,
                Objects = [.. keys.Select(o => new KeyVersion { Key = o.Key })],
                Quiet = true,
            }, ct);
            request.Marker = keys[^1].Key;
        }
        while (page.IsTruncated == true);
    }

    public string PublicUrl(string key) => MediaKeys.Url(options.EffectivePublicBaseUrl, key);

    public void Dispose()
    {
        client.Dispose();
        bucketLock.Dispose();
    }

    /// <summary>Once per store: creates the bucket unless it exists. A failure is not remembered, so the next call tries again.</summary>
    private async Task EnsureBucketAsync(CancellationToken ct)
    {
        if (bucketReady)
        {
            return;
        }

        await bucketLock.WaitAsync(ct);
        try
        {
            if (bucketReady)
            {
                return;
            }

            if (!await BucketExistsAsync(ct))
            {
                try
                {
                    await client.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket }, ct);
                    logger.LogInformation("Created media bucket {Bucket}", options.Bucket);
                }
                catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
                {
                    // Another silo may have created it between our check and our create, which is fine;
                    // a bucket of that name we cannot use is not.
                    if (!await BucketExistsAsync(ct))
                    {
                        throw;
                    }
                }
            }

            bucketReady = true;
        }
        finally
        {
            bucketLock.Release();
        }
    }

    private async Task<bool> BucketExistsAsync(CancellationToken ct)
    {
        try
        {
            await client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = options.Bucket }, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode == "NoSuchBucket")
        {
            return false;
        }
    }
}
