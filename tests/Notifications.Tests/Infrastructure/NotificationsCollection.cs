namespace FlashFundX.Notifications.Tests.Infrastructure;

/// <summary>One service for every class; classes run one after another (the outage test stops the shared SMTP sink).</summary>
[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>
{
    public const string Name = "Notifications";
}
