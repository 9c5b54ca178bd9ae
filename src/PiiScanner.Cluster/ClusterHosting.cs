using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace PiiScanner.Cluster;

/// <summary>
/// A cluster store given as <c>redis://[:password@]host:port</c>: the cluster's membership table and the grains'
/// state (the scans' plans and which units are done) live there. <b>Protect it</b>: bind it to a private
/// network, require a password; the scan's results never pass through it, but its plans name the roots.
/// </summary>
public sealed record ClusterAddress(string Host, int Port, string? Password)
{
    /// <summary>Parses <c>redis://host:port</c> (the port defaults to 6379).</summary>
    /// <exception cref="FormatException">Not a redis:// address (postgres:// is not supported yet).</exception>
    public static ClusterAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "redis" || uri.Host.Length == 0)
        {
            throw new FormatException($"--cluster {text}: expected redis://host:port (only Redis is supported as the cluster store)");
        }

        var password = uri.UserInfo.Length == 0 ? null : Uri.UnescapeDataString(uri.UserInfo.TrimStart(':'));
        return new ClusterAddress(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port, password);
    }

    /// <summary>The StackExchange.Redis options for this address.</summary>
    public ConfigurationOptions RedisOptions()
    {
        var options = new ConfigurationOptions { EndPoints = { { Host, Port } }, Password = Password, AbortOnConnectFail = false };
        return options;
    }

    /// <inheritdoc />
    public override string ToString() => $"redis://{Host}:{Port}";
}

/// <summary>Where a silo listens.</summary>
public sealed record SiloEndpoints
{
    /// <summary>Port silos talk to each other on.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Port clients connect to.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>The address other machines reach this silo at (null: the machine's first address).</summary>
    public IPAddress? Advertise { get; init; }
}

/// <summary>Wires silos and clients of a PiiScanner cluster.</summary>
public static class ClusterHosting
{
    /// <summary>The grain storage the coordinator and registry use.</summary>
    public const string StorageName = "piiscan";

    /// <summary>The cluster's and service's id in the store.</summary>
    public const string ClusterId = "piiscan";

    /// <summary>Adds the worker that runs units to a silo's services.</summary>
    public static IServiceCollection AddPiiScanWorker(this IServiceCollection services, Action<WorkerOptions>? configure = null, Action<LeaseOptions>? lease = null)
    {
        services.Configure(configure ?? (_ => { }));
        services.Configure(lease ?? (_ => { }));
        services.AddSingleton(TimeProvider.System);
        services.AddHostedService<UnitWorker>();
        return services;
    }

    /// <summary>Uses Redis at <paramref name="address"/> for the silo's membership and the scans' grain state.</summary>
    public static ISiloBuilder UsePiiScanStore(this ISiloBuilder silo, ClusterAddress address, bool clustering = true)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (clustering)
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ClusterId));
            silo.UseRedisClustering(o => o.ConfigurationOptions = address.RedisOptions());
        }

        silo.AddRedisGrainStorage(StorageName, builder => builder.Configure<Serializer>((o, serializer) =>
        {
            o.ConfigurationOptions = address.RedisOptions();
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        return silo;
    }

    /// <summary>Starts a worker silo (<c>piiscan silo</c>) and returns its running host; <paramref name="logUnits"/>: a line per unit done.</summary>
    public static async Task<IHost> StartSiloAsync(ClusterAddress address, SiloEndpoints endpoints, WorkerOptions worker, CancellationToken cancellationToken, bool logUnits = true)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(worker);
        var builder = Host.CreateApplicationBuilder();
        Quiet(builder.Logging, logUnits);
        builder.UseOrleans(silo =>
        {
            silo.UsePiiScanStore(address);
            if (endpoints.Advertise is { } ip)
            {
                silo.ConfigureEndpoints(ip, endpoints.SiloPort, endpoints.GatewayPort, listenOnAnyHostAddress: false);
            }
            else
            {
                silo.ConfigureEndpoints(endpoints.SiloPort, endpoints.GatewayPort);
            }
        });
        builder.Services.AddPiiScanWorker(o =>
        {
            o.Threads = worker.Threads;
            o.Poll = worker.Poll;
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return host;
    }

    /// <summary>Connects a client to the cluster whose store is at <paramref name="address"/>.</summary>
    public static async Task<IHost> StartClientAsync(ClusterAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var builder = Host.CreateApplicationBuilder();
        Quiet(builder.Logging, logUnits: false);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ClusterId));
            client.UseRedisClustering(o => o.ConfigurationOptions = address.RedisOptions());
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return host;
    }

    /// <summary>Warnings and errors only, none of Orleans' chatter and no stack traces: nothing a scan logs names a file or a value.</summary>
    private static void Quiet(ILoggingBuilder logging, bool logUnits)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Orleans", LogLevel.Error);

        // A store that cannot be reached is reported by the command in one line, not as the host's stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        logging.AddFilter("PiiScanner", logUnits ? LogLevel.Information : LogLevel.Warning);
    }
}
