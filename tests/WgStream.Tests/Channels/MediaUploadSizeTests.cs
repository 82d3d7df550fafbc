using Orleans.Configuration;
using WgStream.Api.Media;
using WgStream.Gateways.Media;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Tests.Channels;

/// <summary>Uploads travel to IChannelMediaGrain in one Orleans message: the largest the Api lets through must fit in one.</summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class MediaUploadSizeTests
{
    [Fact]
    public void The_largest_upload_the_Api_reads_fits_in_an_Orleans_message_by_default()
    {
        // What ImageUpload reads at most: the file limit and the multipart envelope around it.
        var largest = Math.Max(new MediaOptions().MaxUploadBytes, new EmoteOptions().MaxUploadBytes) + ImageUpload.EnvelopeBytes;

        // Room for the message's other fields too: a quarter of the limit is far more than they take.
        Assert.True(largest < new SiloMessagingOptions().MaxMessageBodySize * 3L / 4);
        Assert.True(largest < new ClientMessagingOptions().MaxMessageBodySize * 3L / 4);
    }
}
