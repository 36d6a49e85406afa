using FlashFundX.ServiceDefaults.Configuration;
using FlashFundX.ServiceDefaults.Hosting;
using FlashFundX.ServiceDefaults.Temporal;
using FlashFundX.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Temporalio.Client;

namespace FlashFundX.Ops.Tests.Connection;

public sealed class TemporalCompressionTests
{
    [Theory]
    [InlineData("localhost:7233")]
    [InlineData("LOCALHOST:7233")]
    [InlineData("127.0.0.1:7233")]
    [InlineData("127.8.9.10:7233")]
    [InlineData("[::1]:7233")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Auto_LoopbackServer_Uncompressed(string address) =>
        Assert.IsType<GrpcCompression.None>(TemporalConnectionCompression.For(address, TemporalCompression.Auto));

    [Theory]
    [InlineData("my-ns.a1b2c.tmprl.cloud:7233")]
    [InlineData("temporal-frontend.temporal.svc:7233")]
    [InlineData("10.0.0.5:7233")]
    [InlineData("[2001:db8::1]:7233")]
    [InlineData("localhost.example.com:7233")]
    public void Auto_RemoteServer_Gzip(string address) =>
        Assert.IsType<GrpcCompression.Gzip>(TemporalConnectionCompression.For(address, TemporalCompression.Auto));

    [Fact]
    public void Explicit_Setting_WinsOverTheAddress()
    {
        Assert.IsType<GrpcCompression.Gzip>(TemporalConnectionCompression.For("127.0.0.1:7233", TemporalCompression.Gzip));
        Assert.IsType<GrpcCompression.None>(TemporalConnectionCompression.For("my-ns.a1b2c.tmprl.cloud:7233", TemporalCompression.None));
    }

    [Theory]
    [InlineData(null, "127.0.0.1:7233", typeof(GrpcCompression.None))]
    [InlineData(null, "my-ns.a1b2c.tmprl.cloud:7233", typeof(GrpcCompression.Gzip))]
    [InlineData("gzip", "127.0.0.1:7233", typeof(GrpcCompression.Gzip))]
    [InlineData("None", "my-ns.a1b2c.tmprl.cloud:7233", typeof(GrpcCompression.None))]
    public void ClientOptions_FollowTheTemporalSection(string? compression, string address, Type expected)
    {
        using var provider = Build(new Dictionary<string, string?> { ["Temporal:Address"] = address, ["Temporal:Compression"] = compression });

        var options = provider.GetRequiredService<IOptions<TemporalClientConnectOptions>>().Value;

        Assert.IsType(expected, options.GrpcCompression);
        Assert.Equal(address, options.TargetHost);
    }

    [Fact]
    public void UnknownValue_FailsNamingTheSetting()
    {
        using var provider = Build(new Dictionary<string, string?> { ["Temporal:Address"] = "localhost:7233", ["Temporal:Compression"] = "zstd" });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<TemporalSettings>>().Value);

        Assert.Contains("Temporal:Compression", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddOptions<TemporalSettings>().BindConfiguration(TemporalSettings.SectionName);
        services.AddFulfillmentTemporalClient();
        return services.BuildServiceProvider();
    }
}
