using System.Collections.ObjectModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Events;
using OtpGate.Verification.Fraud;
using OtpGate.Verification.Maintenance;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Services;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification;

public static class VerificationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the verification engine: storage (migrated at start-up), the service, the outbox dispatcher, the delivery
    /// intake and poller, and maintenance. Reads the <c>Verification</c>, <c>Storage</c> and <c>Security</c> sections.
    /// The host registers at least one channel (<see cref="ICodeChannel"/>), such as 1MSG's with <c>AddOneMsgChannel</c>.
    /// </summary>
    public static IServiceCollection AddOtpGateVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VerificationOptions>().Bind(configuration.GetSection(VerificationOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VerificationOptions>, VerificationOptionsValidator>());
        services.AddSingleton<IValidateOptions<VerificationOptions>>(new ServicesOptionsValidator(configuration));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.AddOptions<Fraud.FraudOptions>().Bind(configuration.GetSection(Fraud.FraudOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Fraud.FraudOptions>, Fraud.FraudOptionsValidator>());
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName));
        services.AddOptions<SpendOptions>().Bind(configuration.GetSection(SpendOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SpendOptions>, SpendOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<VerificationChanges>();
        services.AddSingleton(CreateWiredDatabase);
        services.AddSingleton(sp => ServerSecret.Load(
            sp.GetRequiredService<IOptions<SecurityOptions>>().Value,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServerSecret).FullName!)));
        services.AddSingleton<CodeProtector>();
        services.AddSingleton<CodeChannels>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxBroadcast>();
        services.AddSingleton(sp => new SendPacer(
            sp.GetRequiredService<IOptions<VerificationOptions>>().Value.Dispatch.ChannelRatePerSecond, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<VerificationMetrics>();
        services.AddSingleton<ServiceCatalog>();
        services.AddSingleton<SpendMeter>();
        services.AddSingleton<SpendReports>();
        services.AddSingleton<Fraud.FraudMetrics>();
        services.AddSingleton<Fraud.FraudGuard>();
        services.AddSingleton<Fraud.FraudLists>();
        services.AddSingleton<VerificationService>();
        services.AddSingleton<UnknownReceipts>();
        services.AddSingleton<Fallback.SmsFallback>();
        services.AddSingleton<DeliveryIntake>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<DeliveryStatusPoller>();
        services.AddSingleton<MaintenanceService>();

        // Order matters: migrations finish before the workers start.
        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService(sp =>
        {
            var (declared, problems) = ServicesConfiguration.Read(configuration, sp.GetRequiredService<IOptions<VerificationOptions>>().Value);
            return new ServiceSeeder(sp.GetRequiredService<ServiceCatalog>(), declared, problems, sp.GetRequiredService<ILogger<ServiceSeeder>>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryStatusPoller>());
        services.AddHostedService(sp => sp.GetRequiredService<MaintenanceService>());
        services.AddHostedService<PostgresOutboxListener>();
        services.AddOtpGateEvents(configuration);
        return services;
    }

    /// <summary>
    /// The configured database, with what each commit means beyond itself: watchers told of the verifications it changed,
    /// dispatchers woken when it queued a send or raised an event, and the expiries it made durable counted.
    /// </summary>
    private static Database CreateWiredDatabase(IServiceProvider services)
    {
        var database = CreateDatabase(services.GetRequiredService<IOptions<StorageOptions>>().Value, services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<TimeProvider>());
        var changes = services.GetRequiredService<VerificationChanges>();
        var signal = services.GetRequiredService<OutboxSignal>();
        var broadcast = services.GetRequiredService<OutboxBroadcast>();
        var eventSignal = services.GetRequiredService<EventSignal>();
        // The metrics read the database's statistics, so they are resolved after it, at the first commit.
        var metrics = new Lazy<VerificationMetrics>(services.GetRequiredService<VerificationMetrics>);
        // Every queued send is charged in its transaction; the meter reads services, which need the database first.
        database.Spend = new Lazy<SpendMeter>(services.GetRequiredService<SpendMeter>);
        database.AfterCommit = committed =>
        {
            foreach (var (service, count) in committed.Expired ?? ReadOnlyDictionary<string, int>.Empty)
            {
                metrics.Value.Expired(service, count);
            }

            if (committed.Verifications.Count > 0)
            {
                changes.Publish(committed.Verifications);
            }

            if (committed.SendQueued)
            {
                signal.Notify();
                broadcast.Notify();
            }

            if (committed.EventRaised)
            {
                eventSignal.Notify();
            }
        };
        return database;
    }

    /// <summary>
    /// The configured database. An existing data folder, and the SQLite files in it, that other users may read are made
    /// owner-only here, once at start-up: they hold phone numbers, client addresses and secrets.
    /// </summary>
    public static Database CreateDatabase(StorageOptions options, ILoggerFactory? logs = null, TimeProvider? time = null)
    {
        if (new StorageOptionsValidator().Validate(null, options) is { Failed: true } invalid)
        {
            throw new InvalidOperationException(invalid.FailureMessage);
        }

        var database = options.GetProvider() == StorageProvider.Postgres
            ? Database.ForPostgres(options.ConnectionString!, logs, time)
            : Database.ForSqlite(options.DataDirectory, logs: logs, time: time);
        if (logs is not null)
        {
            OwnerOnlyFiles.Tighten(logs.CreateLogger(typeof(OwnerOnlyFiles).FullName!), [Path.GetFullPath(options.DataDirectory), .. database.Files]);
        }

        return database;
    }
}
