using System.Security.Cryptography;
using System.Text;
using FlashFundX.Data.Credentials;
using FlashFundX.Activities.Tests.Support;
using Microsoft.Extensions.Options;

namespace FlashFundX.Activities.Tests;

public sealed class CredentialProtectorTests
{
    private static readonly byte[] Context = CredentialProtector.AssociatedData("mt5", "Demo", "1001", CredentialProtector.PasswordField);

    [Fact]
    public void Protect_ThenUnprotect_ReturnsPlaintext()
    {
        var protector = TestCredentials.Protector();

        var secret = protector.Protect("S3cret!pässword", Context);

        Assert.Equal("S3cret!pässword", protector.Unprotect(secret, Context));
        Assert.Equal("test-1", secret.KeyId);
    }

    [Fact]
    public void Protect_Plaintext_CiphertextNeverContainsIt()
    {
        var protector = TestCredentials.Protector();
        var plain = Encoding.UTF8.GetBytes("hunter2hunter2");

        var first = protector.Protect("hunter2hunter2", Context);
        var second = protector.Protect("hunter2hunter2", Context);

        Assert.False(first.Ciphertext.AsSpan().SequenceEqual(plain));
        Assert.Equal(-1, first.Ciphertext.AsSpan().IndexOf(plain));
        Assert.Equal(12 + plain.Length + 16, first.Ciphertext.Length);
        Assert.False(first.Ciphertext.AsSpan().SequenceEqual(second.Ciphertext));
    }

    [Fact]
    public void Unprotect_OtherAccountsContext_Fails()
    {
        var protector = TestCredentials.Protector();
        var secret = protector.Protect("pw", Context);

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(secret, CredentialProtector.AssociatedData("mt5", "Demo", "1002", CredentialProtector.PasswordField)));
    }

    /// <summary>Parts holding what a separator-joined form would use as its separator cannot stand for other parts.</summary>
    [Theory]
    [InlineData("Demo|1001", "1", "Demo", "1001|1")]
    [InlineData("Demo", "1001|password", "Demo|1001", "password")]
    [InlineData("", "|", "|", "")]
    public void Unprotect_PartsShiftedAcrossASeparator_Fails(string server, string login, string otherServer, string otherLogin)
    {
        var protector = TestCredentials.Protector();
        var secret = protector.Protect("pw", CredentialProtector.AssociatedData("mt5", server, login, CredentialProtector.PasswordField));

        var other = CredentialProtector.AssociatedData("mt5", otherServer, otherLogin, CredentialProtector.PasswordField);

        Assert.NotEqual(CredentialProtector.AssociatedData("mt5", server, login, CredentialProtector.PasswordField), other);
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(secret, other));
    }

    [Fact]
    public void Unprotect_TamperedCiphertext_Fails()
    {
        var protector = TestCredentials.Protector();
        var secret = protector.Protect("pw", Context);
        secret.Ciphertext[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(secret, Context));
    }

    [Fact]
    public void Unprotect_AfterRotation_ReadsOldAndNewSecrets()
    {
        var oldOptions = TestCredentials.Options("2025-01");
        var oldSecret = TestCredentials.Protector(oldOptions).Protect("old-pw", Context);
        var rotated = TestCredentials.Options("2026-01");
        rotated.PreviousKeys["2025-01"] = oldOptions.EncryptionKey;
        var protector = TestCredentials.Protector(rotated);

        var newSecret = protector.Protect("new-pw", Context);

        Assert.Equal("old-pw", protector.Unprotect(oldSecret, Context));
        Assert.Equal("new-pw", protector.Unprotect(newSecret, Context));
        Assert.Equal("2026-01", newSecret.KeyId);
        Assert.True(protector.NeedsRotation(oldSecret));
        Assert.False(protector.NeedsRotation(newSecret));
    }

    [Fact]
    public void Unprotect_UnknownKeyId_FailsNamingTheSetting()
    {
        var secret = TestCredentials.Protector(TestCredentials.Options("retired")).Protect("pw", Context);
        var protector = TestCredentials.Protector(TestCredentials.Options("current"));

        var error = Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(secret, Context));

        Assert.Contains("Credentials:PreviousKeys", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void Constructor_BadKey_FailsNamingEncryptionKey(string key)
    {
        var options = new CredentialsOptions { KeyId = "k1", EncryptionKey = key };

        var error = Assert.Throws<OptionsValidationException>(() => new CredentialProtector(Options.Create(options)));

        Assert.Contains("Credentials:EncryptionKey", error.Message, StringComparison.Ordinal);
        if (key.Length > 0)
        {
            Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Constructor_MissingKeyId_FailsNamingKeyId()
    {
        var options = new CredentialsOptions { KeyId = "", EncryptionKey = CredentialProtector.GenerateKey() };

        var error = Assert.Throws<OptionsValidationException>(() => new CredentialProtector(Options.Create(options)));

        Assert.Contains("Credentials:KeyId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_Options_HidesKeys()
    {
        var options = TestCredentials.Options();

        Assert.DoesNotContain(options.EncryptionKey, options.ToString(), StringComparison.Ordinal);
    }
}
