"""Reading CKAN Action API answers in tests: the result of a success, the error of a failure."""


def result(response, status=200):
    """The `result` of a successful answer with `status`."""
    assert response.status_code == status, response.content
    return response.json()["result"]


def error(response, status):
    """The `error` object of a failed answer with `status` (`success` is false)."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is False
    return body["error"]
