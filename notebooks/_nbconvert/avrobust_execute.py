"""nbconvert preprocessor used by `deno task notebooks`.

The Deno kernel (2.x) sometimes publishes a cell's outputs (execute_result, display_data) on IOPub just
after its `status: idle` message, most often on a loaded machine. nbclient stops reading a cell's
messages at `idle`, so such outputs are silently dropped. This subclass keeps reading the cell's IOPub
messages until none has arrived for `late_output_grace` seconds after `idle`.
"""
import asyncio
from queue import Empty

from nbclient.exceptions import CellExecutionComplete
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets import Float


class GracefulExecutePreprocessor(ExecutePreprocessor):
    late_output_grace = Float(
        0.5, help="Seconds to keep reading a cell's IOPub messages after its idle status."
    ).tag(config=True)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        idle = False
        while True:
            try:
                timeout = self.late_output_grace if idle else None
                msg = await self.kc.iopub_channel.get_msg(timeout=timeout)
            except (Empty, asyncio.TimeoutError):
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                idle = True
