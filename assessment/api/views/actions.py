"""The shape every POST action of the review desk and the programme shares: find the object in
the caller's scope (404 otherwise), validate the body, call one service, answer with what it
returns. A view names its target, its serializers and its service call; nothing else."""

from typing import Any

from rest_framework import generics, status
from rest_framework.response import Response

from assessment.api.views.submissions import submission_in_scope


class ActionView(generics.GenericAPIView):
    """POST: `target` → validated body → `perform` → `response_serializer_class(result)`.

    `serializer_class` validates the body; with `reads_body = False` the body is ignored and
    `serializer_class` only describes the answer. `perform` returns the object to serialize, or a
    `Response` when the answer is not one object."""

    response_serializer_class = None
    response_status = status.HTTP_201_CREATED
    reads_body = True

    def target(self, request, **kwargs) -> Any:
        raise NotImplementedError

    def perform(self, target: Any, data: dict) -> Any:
        raise NotImplementedError

    def post(self, request, **kwargs):
        target = self.target(request, **kwargs)
        data = {}
        if self.reads_body:
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        result = self.perform(target, data)
        if isinstance(result, Response):
            return result
        serializer_class = self.response_serializer_class or self.get_serializer_class()
        return Response(
            serializer_class(result, context=self.get_serializer_context()).data,
            status=self.response_status,
        )


class SubmissionActionView(ActionView):
    """An action on the submission in the URL (`pk`), looked up in the caller's scope."""

    def target(self, request, pk, **kwargs):
        return submission_in_scope(request, pk)
