using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PiiScanner.Cluster;
using PiiScanner.Index;

namespace PiiScanner.Cli;

/// <summary><c>piiscan silo --cluster redis://…</c>, and the cluster side of <c>piiscan scan … --cluster</c>.</summary>
internal static class ClusterCommand
{
    public static Option<string?> ScanOption() => new("--cluster")
    {
        Description = "Run the scan on the Orleans cluster whose store is at redis://host:port (started with 'piiscan silo'); the roots must be at the same paths on every silo.",
    };

    public static Option<int> UnitsOption() => new("--cluster-units")
    {
        Description = "With --cluster: cut directory roots into about this many work units (a directory and its files, without its subdirectories that are units of their own).",
        DefaultValueFactory = _ => new ClusterScanOptions().TargetUnits,
    };

    public static Option<int> AttemptsOption() => new("--cluster-attempts")
    {
        Description = "With --cluster: runs of a work unit that may fail (its worker threw, or its silo died) before the unit is reported failed in files.jsonl and the scan goes on without it.",
        DefaultValueFactory = _ => new ClusterScanOptions().MaxAttempts,
    };

    public static Command Create(CliContext cli)
    {
        var cluster = new Option<string>("--cluster") { Description = "The cluster's store: redis://host:port (membership and the scans' state; keep it on a private network).", Required = true };
        var port = new Option<int>("--port") { Description = "Port the silos talk to each other on.", DefaultValueFactory = _ => 11111 };
        var gateway = new Option<int>("--gateway-port") { Description = "Port clients (piiscan scan --cluster) connect to.", DefaultValueFactory = _ => 30000 };
        var advertise = new Option<string?>("--advertise") { Description = "The IP address other machines reach this silo at (default: this machine's first address)." };
        var threads = new Option<int>("--threads", "-j") { Description = "Worker threads for a unit (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("silo", "Run a worker silo of a scan cluster: reads units of cluster scans (piiscan scan --cluster) until stopped (SIGINT/SIGTERM).")
        {
            cluster, port, gateway, advertise, threads,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            ClusterAddress address;
            IPAddress? ip = null;
            try
            {
                address = ClusterAddress.Parse(parse.GetRequiredValue(cluster));
                if (parse.GetValue(advertise) is { } text && !IPAddress.TryParse(text, out ip))
                {
                    throw new FormatException($"--advertise {text}: not an IP address");
                }
            }
            catch (FormatException ex)
            {
                await cli.Stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var endpoints = new SiloEndpoints { SiloPort = parse.GetValue(port), GatewayPort = parse.GetValue(gateway), Advertise = ip };
            IHost host;
            try
            {
                host = await ClusterHosting.StartSiloAsync(address, endpoints, new WorkerOptions { Threads = Math.Max(1, parse.GetValue(threads)) }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await cli.Stderr.WriteLineAsync($"piiscan: the silo could not join the cluster at {address}: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Error;
            }

            await cli.Stderr.WriteLineAsync($"piiscan: silo running (cluster {address}, silo port {endpoints.SiloPort}, gateway port {endpoints.GatewayPort}); stop it with Ctrl+C").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped: the unit being read is given back and taken by another silo.
            }

            // Leaves the cluster (its unit is given back); not forever if the store is gone already.
            using (var leave = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
            {
                await host.StopAsync(leave.Token).ConfigureAwait(false);
            }

            host.Dispose();
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Runs <c>piiscan scan</c> on the cluster: connects, runs the scan, disconnects.</summary>
    public static async Task<ScanResult> ScanAsync(
        string cluster,
        Scanner scanner,
        ScanSettings settings,
        IReadOnlyList<string> roots,
        string outDir,
        ScanJournal journal,
        IEnumerable<IScanSink> sinks,
        IProgress<ScanProgress>? progress,
        ClusterScanOptions options,
        CancellationToken cancellationToken)
    {
        var address = ClusterAddress.Parse(cluster);
        IHost host;
        try
        {
            host = await ClusterHosting.StartClientAsync(address, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ClusterUnavailableException($"cannot reach the cluster at {address} (is a 'piiscan silo --cluster {address}' running?): {ex.GetType().Name}", ex);
        }

        using (host)
        {
            var client = host.Services.GetRequiredService<IClusterClient>();
            var (result, _) = await ClusterScan.RunAsync(client, scanner, settings, roots, outDir, journal, sinks, progress, options, cancellationToken).ConfigureAwait(false);
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
    }
}

/// <summary>The cluster given with <c>--cluster</c> cannot be reached; the message is one line for the user.</summary>
internal sealed class ClusterUnavailableException(string message, Exception inner) : Exception(message, inner);
