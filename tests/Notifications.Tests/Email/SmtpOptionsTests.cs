using System.ComponentModel.DataAnnotations;
using FlashFundX.Activities.Notifications;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Notifications.Tests.Email;

public sealed class SmtpOptionsTests
{
    [Fact]
    public void Validate_EnabledWithoutHost_NamesTheSetting()
    {
        var options = new SmtpOptions { Enabled = true, Host = null };

        var errors = options.Validate(new ValidationContext(options)).ToArray();

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Smtp:Host", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Disabled_NothingRequired()
    {
        var options = new SmtpOptions { Enabled = false, Host = null, From = "not an address" };

        Assert.Empty(options.Validate(new ValidationContext(options)));
    }

    [Fact]
    public void ToString_NeverShowsThePassword()
    {
        var options = new SmtpOptions { Enabled = true, Host = "smtp.example.test", UserName = "u", Password = "s3cret-smtp" };

        Assert.DoesNotContain("s3cret-smtp", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MessageId_SameOrderAndKind_SameIdEveryTime()
    {
        var first = OrderEmailComposer.MessageId("FFX000000042", OrderEmailKind.Delivered, "FlashFundX <orders@flashfundx.com>");
        var again = OrderEmailComposer.MessageId("FFX000000042", OrderEmailKind.Delivered, "FlashFundX <orders@flashfundx.com>");

        Assert.Equal("FFX000000042.delivered@flashfundx.com", first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, OrderEmailComposer.MessageId("FFX000000042", OrderEmailKind.Cancelled, "orders@flashfundx.com"));
    }
}
