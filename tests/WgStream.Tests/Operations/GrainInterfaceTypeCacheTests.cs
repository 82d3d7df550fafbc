using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Runtime;
using Orleans.Serialization.TypeSystem;
using Orleans.TestingHost;
using WgStream.GrainInterfaces.Channels;
using WgStream.Hosting;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class GrainInterfaceTypeCacheTests(ClusterFixture fixture)
{
    private IServiceProvider SiloServices => ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;

    [Fact]
    public void Every_grain_interface_gets_the_type_Orleans_would_give_it()
    {
        var providers = SiloServices.GetServices<IGrainInterfaceTypeProvider>().ToList();
        Assert.IsType<GrainInterfaceTypeCache>(providers[0]);
        Assert.Single(providers, p => p is GrainInterfaceTypeCache);
        var uncached = new GrainInterfaceTypeResolver(providers.Skip(1), SiloServices.GetRequiredService<TypeConverter>());
        var resolver = SiloServices.GetRequiredService<GrainInterfaceTypeResolver>();

        var interfaces = typeof(IChannelGrain).Assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t) && !t.ContainsGenericParameters)
            .Append(typeof(IManagementGrain))
            .ToList();
        Assert.True(interfaces.Count > 10);
        foreach (var type in interfaces)
        {
            Assert.Equal(uncached.GetGrainInterfaceType(type), resolver.GetGrainInterfaceType(type));
            Assert.Equal(uncached.GetGrainInterfaceType(type), resolver.GetGrainInterfaceType(type));
        }
    }

    [Fact]
    public async Task A_reference_costs_a_tenth_of_the_bytes_and_still_reaches_its_grain()
    {
        var factory = SiloServices.GetRequiredService<IGrainFactory>();
        var id = Guid.NewGuid();
        factory.GetGrain<IChannelGrain>(id);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            factory.GetGrain<IChannelGrain>(id);
        }

        // Without the cache, formatting the type name made it about 1,060 bytes a reference.
        var perReference = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
        Assert.True(perReference < 300, $"{perReference} bytes a reference.");
        Assert.Equal(factory.GetGrain<IChannelGrain>(id).GetGrainId(), fixture.GrainFactory.GetGrain<IChannelGrain>(id).GetGrainId());
        Assert.Null(await factory.GetGrain<IChannelNameGrain>($"nobody-{id:N}"[..20]).GetChannelIdAsync());
    }
}
