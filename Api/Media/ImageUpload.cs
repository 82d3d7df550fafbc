using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.Hosting;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Media;

/// <summary>An upload's form as read: the bytes of its <c>file</c> field and every other field.</summary>
public sealed record UploadForm(byte[] File, IFormCollection Fields);

/// <summary>Either the form, or the answer that refuses it.</summary>
public sealed record UploadRead(UploadForm? Form, IResult? Refusal);

/// <summary>
/// The plumbing every image upload shares (avatars and banners, category art, emotes), checked in
/// order of cost so that a refused upload spends as little as possible: the account's upload
/// allowance (<c>RateLimits:UploadPerAccount</c>, shared by all of them) before the body is read,
/// then the body's size (the largest accepted file plus room for the multipart envelope) while it is
/// read, then the form itself with its <c>file</c> field. Refusals are the JSON
/// <c>{code, message, field}</c> of <see cref="ChannelMediaEndpoints.Refusal(HttpContext, WgException)"/>: 429 with
/// <c>Retry-After</c>, 413 and 415, or 400 for a form that is not well formed.
/// </summary>
public static class ImageUpload
{
    /// <summary>Room for the multipart envelope (boundaries, headers, the small fields) around the file.</summary>
    internal const long EnvelopeBytes = 64 * 1024;

    public static async Task<UploadRead> ReadAsync(HttpContext http, Guid userId, long maxFileBytes, string tooLarge, RateLimiter rateLimiter, RateLimitOptions limits)
    {
        // Before the body is read: a refused upload costs neither the transfer nor a decode.
        try
        {
            await rateLimiter.EnsureAllowedAsync($"upload:{userId}", limits.UploadPerAccount, "image uploads");
        }
        catch (WgException e)
        {
            return new UploadRead(null, ChannelMediaEndpoints.Refusal(http, e));
        }

        if (!RequestBodyLimit.Apply(http, maxFileBytes + EnvelopeBytes))
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, tooLarge);
        }

        if (!http.Request.HasFormContentType)
        {
            return new UploadRead(null, ChannelMediaEndpoints.Error(
                StatusCodes.Status415UnsupportedMediaType, ErrorCodes.BadUserInput, "Send multipart/form-data with a file field named \"file\".", "file"));
        }

        try
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (form.Files.GetFile("file") is not { } file)
            {
                return Refuse(StatusCodes.Status400BadRequest, "Send the image in a form field named \"file\".");
            }

            // Bounded by the body limit above, so reading the file into memory is bounded too.
            using var buffer = new MemoryStream((int)Math.Min(file.Length, maxFileBytes + EnvelopeBytes));
            await file.CopyToAsync(buffer, http.RequestAborted);
            return new UploadRead(new UploadForm(buffer.ToArray(), form), null);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return e is BadHttpRequestException bad && RequestBodyLimit.IsTooLarge(bad)
                ? Refuse(StatusCodes.Status413PayloadTooLarge, tooLarge)
                : Refuse(StatusCodes.Status400BadRequest, "The upload is not a well-formed form or is too large.");
        }
    }

    private static UploadRead Refuse(int status, string message) =>
        new(null, ChannelMediaEndpoints.Error(status, ErrorCodes.BadUserInput, message, "file"));
}
