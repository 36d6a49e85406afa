namespace FlashFundX.Data.Credentials;

/// <summary>An encrypted secret as stored: nonce || ciphertext || tag, and the id of the key that sealed it.</summary>
public sealed record ProtectedSecret(byte[] Ciphertext, string KeyId)
{
    public override string ToString() => $"ProtectedSecret {{ KeyId = {KeyId}, Length = {Ciphertext.Length} }}";
}
