"""Unseal a SealedSecret with kubesealpy, an implementation independent of
regcred, and print the Secret it yields as JSON on stdout (tests/it/seal.rs).

usage: unseal.py PRIVATE_KEY.pem [--name NAME] [--namespace NS] < sealed.yaml|json

--name / --namespace replace the SealedSecret's own metadata before
unsealing, as if it were applied under another name or namespace: the
RSA-OAEP label then differs and unsealing must fail (exit 3).
"""

import json
import sys

from kubesealpy import Unsealer
from kubesealpy.models import SealedSecret


def main() -> int:
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    key = args.pop(0)
    overrides = {}
    while args:
        flag = args.pop(0)
        if flag not in ("--name", "--namespace") or not args:
            print(f"bad argument {flag!r}", file=sys.stderr)
            return 2
        overrides[flag[2:]] = args.pop(0)
    sealed = SealedSecret.from_yaml(sys.stdin.read())
    for field, value in overrides.items():
        setattr(sealed.metadata, field, value)
    try:
        secret = Unsealer.from_private_key_file(key).unseal(sealed)
    except Exception as error:  # kubesealpy raises NoMatchingKeyError
        print(f"unseal failed: {type(error).__name__}", file=sys.stderr)
        return 3
    meta = secret.metadata
    json.dump(
        {
            "name": meta.name,
            "namespace": meta.namespace,
            "labels": meta.labels or {},
            "annotations": meta.annotations or {},
            "type": secret.type,
            "data": secret.data or {},
        },
        sys.stdout,
        sort_keys=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
