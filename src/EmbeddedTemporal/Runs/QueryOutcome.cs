using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

internal sealed record QueryOutcome(QueryResultType ResultType, Payloads? Answer, string ErrorMessage, Failure? Failure);
