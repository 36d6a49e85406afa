using FlashFundX.Data.Credentials;
using Microsoft.Extensions.Options;

namespace FlashFundX.Activities.Tests.Support;

internal static class TestCredentials
{
    public static CredentialsOptions Options(string keyId = "test-1", string? key = null) =>
        new() { KeyId = keyId, EncryptionKey = key ?? CredentialProtector.GenerateKey() };

    public static CredentialProtector Protector(CredentialsOptions? options = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? Options()));
}
